using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Ui.Tests;

/// <summary>The queue page's filters and paging, and what a user (not an administrator) sees there.</summary>
[Collection(UiCollection.Name)]
public sealed class QueueTests(UiServer ui)
{
    [ChromiumFact]
    public async Task FiltersBySenderAndDate_PageByFifty_AndAUserSeesOnlyTheirOwnMail()
    {
        var zofia = await ui.CreateUserAsync("zofia");
        (await ui.AdminApi.PutAsJsonAsync($"/api/users/{zofia.Id}/settings", new { enabled = true, senderMode = "system" })).EnsureSuccessStatusCode();
        // Scheduled a week ahead, so they stay queued while the test looks at them.
        for (var i = 0; i < 51; i++)
        {
            (await ui.AdminApi.PostAsJsonAsync("/api/messages", new
            {
                senderUserId = zofia.Id, to = new[] { $"customer{i}@example.test" }, subject = $"Invoice {i:00}", text = "…",
                sendAfter = DateTimeOffset.UtcNow.AddDays(7),
            })).EnsureSuccessStatusCode();
        }
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var admin = await ui.NewPageAsync();
        await UiServer.SignInAsync(admin, ui.AdminEmail, ui.AdminPassword);
        await admin.GotoAsync("/queue");
        await admin.GetByLabel("Sender (user id; empty: all)").FillAsync(zofia.Id);
        await admin.GetByLabel("State").SelectOptionAsync("queued");
        await admin.GetByLabel("Created from").FillAsync(today);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(admin.Locator("#messages tbody tr")).ToHaveCountAsync(50);
        await Expect(admin.Locator("#messages tbody tr").First).ToContainTextAsync("Invoice 50");

        await admin.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        await Expect(admin.Locator("#messages tbody tr")).ToHaveCountAsync(1);
        await Expect(admin.Locator("#messages")).ToContainTextAsync("Invoice 00");
        await Expect(admin.GetByRole(AriaRole.Link, new() { Name = "Next page" })).ToHaveCountAsync(0);

        await admin.GotoAsync($"/queue?sender={zofia.Id}&to={yesterday}");
        await Expect(admin.GetByText("No messages match.")).ToBeVisibleAsync();

        var user = await ui.NewPageAsync();
        await UiServer.SignInAsync(user, zofia.Email, zofia.Password);
        await user.GotoAsync("/queue?sender=admin");
        await Expect(user.Locator("#messages tbody tr")).ToHaveCountAsync(50);
        Assert.Equal(50, await user.Locator("#messages tbody tr", new() { HasText = "Invoice" }).CountAsync());
        await Expect(user.Locator("#stat-queued")).ToHaveCountAsync(0); // the dashboard is the administrator's
        await Expect(user.GetByLabel("Sender (user id; empty: all)")).ToHaveCountAsync(0);
    }
}
