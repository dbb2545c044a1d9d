using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Ui.Tests;

/// <summary>The settings form's "E-mail address" field in real Chromium: typing an address fills the server settings.</summary>
[Collection(UiCollection.Name)]
public sealed class PresetLookupTests(UiServer ui)
{
    [ChromiumFact]
    public async Task TypingTheOnetSeedAddress_FillsHostPortEncryptionAuthenticationAndLogin_WithTheReason()
    {
        var page = await ui.NewPageAsync();
        await UiServer.SignInAsync(page, ui.AdminEmail, ui.AdminPassword);
        await page.GotoAsync("/settings/server");

        await page.Locator("#lookup-email").FillAsync("annanowak@op.pl");
        await page.Locator("#lookup-email").PressAsync("Enter");

        await Expect(page.GetByLabel("Server name")).ToHaveValueAsync("smtp.poczta.onet.pl");
        await Expect(page.GetByLabel("Port", new() { Exact = true })).ToHaveValueAsync("465");
        await Expect(page.GetByLabel("Encryption method")).ToHaveValueAsync("SslTls");
        await Expect(page.GetByLabel("Authentication method")).ToHaveValueAsync("Password");
        await Expect(page.Locator("#f-login")).ToHaveValueAsync("annanowak@op.pl");
        await Expect(page.GetByLabel("Password", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-lookup-result]")).ToContainTextAsync("op.pl belongs to Onet Poczta");
        await Expect(page.Locator("[data-lookup-result]")).ToHaveAttributeAsync("data-source", "catalog");
    }

    [ChromiumFact]
    public async Task TheWpSeedAddress_FillsTheLoginWithoutTheDomain_AndANonAddressShowsTheError()
    {
        var page = await ui.NewPageAsync();
        await UiServer.SignInAsync(page, ui.AdminEmail, ui.AdminPassword);
        await page.GotoAsync("/settings/server");

        await page.Locator("#lookup-email").FillAsync("jankowalski@wp.pl");
        await page.GetByRole(AriaRole.Button, new() { Name = "Fill in settings" }).ClickAsync();
        await Expect(page.Locator("#f-login")).ToHaveValueAsync("jankowalski");
        await Expect(page.GetByLabel("Server name")).ToHaveValueAsync("smtp.wp.pl");
        await Expect(page.GetByLabel("Port", new() { Exact = true })).ToHaveValueAsync("587");
        await Expect(page.GetByLabel("Encryption method")).ToHaveValueAsync("Auto");

        await page.Locator("#lookup-email").FillAsync("jankowalski");
        await page.GetByRole(AriaRole.Button, new() { Name = "Fill in settings" }).ClickAsync();
        await Expect(page.Locator("[data-lookup-result]")).ToContainTextAsync("is not an e-mail address");
        await Expect(page.GetByLabel("Server name")).ToHaveValueAsync("smtp.wp.pl");
    }
}
