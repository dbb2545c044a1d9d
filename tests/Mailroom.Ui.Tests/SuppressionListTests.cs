using Mailroom.Core.Suppression;
using Mailroom.Storage.Sqlite;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Ui.Tests;

/// <summary>The suppression list page in real Chromium: an administrator sees why an address is suppressed and lifts it.</summary>
[Collection(UiCollection.Name)]
public sealed class SuppressionListTests(UiServer ui)
{
    [ChromiumFact]
    public async Task AnAdministrator_SeesASuppressedAddressWithItsBounce_AndLiftsIt()
    {
        // The entry a hard bounce would write, put straight into the running server's database.
        var address = $"gone-{Guid.NewGuid().ToString("N")[..8]}@example.org";
        var store = new SqliteSuppressionStore(new SqliteDatabase($"Data Source={Path.Combine(ui.DataDirectory, "mailroom.db")}"));
        Assert.True(await store.AddAsync(new SuppressionEntry(address, "Hard bounce (5.1.1) of message m1.", "5.1.1", "550 5.1.1 user unknown", "m1", DateTimeOffset.UtcNow)));

        var admin = await ui.NewPageAsync();
        await UiServer.SignInAsync(admin, ui.AdminEmail, ui.AdminPassword);
        await admin.GotoAsync("/admin");
        await admin.Locator("#suppressions-link").ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Suppression list");
        var row = admin.Locator("#suppressions tr", new() { HasText = address });
        await Expect(row).ToContainTextAsync("5.1.1");
        await Expect(row).ToContainTextAsync("550 5.1.1 user unknown");

        await row.GetByRole(AriaRole.Button, new() { Name = $"Lift {address}" }).ClickAsync();

        await Expect(admin.Locator("#suppressions-done")).ToContainTextAsync(address);
        await Expect(admin.Locator("#suppressions tr", new() { HasText = address })).ToHaveCountAsync(0);
        Assert.Empty(await store.FindAsync([address]));
    }
}
