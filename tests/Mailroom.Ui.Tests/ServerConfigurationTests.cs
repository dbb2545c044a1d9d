using static Microsoft.Playwright.Assertions;

namespace Mailroom.Ui.Tests;

/// <summary>The administrator's read-only view of the options tree: values fixed by the environment are LOCKED.</summary>
[Collection(UiCollection.Name)]
public sealed class ServerConfigurationTests(UiServer ui)
{
    [ChromiumFact]
    public async Task AdministrationPage_ShowsTheDataFolderFromTheEnvironment_AsLocked_AndDefaultsAsDefaults()
    {
        var page = await ui.NewPageAsync();
        await UiServer.SignInAsync(page, ui.AdminEmail, ui.AdminPassword);
        await page.GotoAsync("/admin");

        // The test server gets Mailroom__DataDirectory and ASPNETCORE_URLS from its environment.
        var dataDirectory = page.Locator("#server-configuration tr[data-key='Mailroom:DataDirectory']");
        await Expect(dataDirectory).ToContainTextAsync("LOCKED");
        await Expect(dataDirectory).ToContainTextAsync("environment");
        var batchSize = page.Locator("#server-configuration tr[data-key='Mailroom:Delivery:BatchSize']");
        await Expect(batchSize).ToContainTextAsync("32");
        await Expect(batchSize).ToContainTextAsync("default");
        await Expect(batchSize).Not.ToContainTextAsync("LOCKED");
        await Expect(page.Locator("#server-configuration tr[data-key='Mailroom:Delivery:SystemRelay:Password']")).ToContainTextAsync("—");
    }
}
