using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Ui.Tests;

/// <summary>Administration and the queue's administrator actions in real Chromium.</summary>
[Collection(UiCollection.Name)]
public sealed class AdministrationTests(UiServer ui)
{
    [ChromiumFact]
    public async Task AnAdministrator_AddsAUserWithAPassword_WhoCanThenSignInAndSeeOnlyTheirPages()
    {
        var admin = await ui.NewPageAsync();
        await UiServer.SignInAsync(admin, ui.AdminEmail, ui.AdminPassword);
        await admin.GotoAsync("/admin");
        var email = $"kasia-{Guid.NewGuid().ToString("N")[..6]}@example.test";

        await admin.GetByLabel("E-mail address").FillAsync(email);
        await admin.GetByLabel("Name").FillAsync("Kasia");
        await admin.GetByLabel("Sign-in password (12+ characters, optional)").FillAsync("short");
        await admin.Locator("#create-user").ClickAsync();
        await Expect(admin.Locator("#err-password")).ToContainTextAsync("12");
        await Expect(admin.GetByLabel("Sign-in password (12+ characters, optional)")).ToHaveValueAsync("");

        await admin.GetByLabel("Sign-in password (12+ characters, optional)").FillAsync("a long enough password");
        await admin.Locator("#create-user").ClickAsync();
        await Expect(admin.Locator("#admin-done")).ToContainTextAsync(email);
        await Expect(admin.Locator("#users")).ToContainTextAsync(email);

        var kasia = await ui.NewPageAsync();
        await UiServer.SignInAsync(kasia, email, "a long enough password");
        await Expect(kasia.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("My sender settings");
        await Expect(kasia.GetByRole(AriaRole.Link, new() { Name = "Administration" })).ToHaveCountAsync(0);
    }

    [ChromiumFact]
    public async Task AnAdministrator_CancelsAScheduledMessage_AndSendsItAgain_FromItsPage()
    {
        // A sender on the System default with no relay: when sent again, the message is captured locally, never delivered.
        var sender = await ui.CreateUserAsync("scheduler");
        (await ui.AdminApi.PutAsJsonAsync($"/api/users/{sender.Id}/settings", new { enabled = true, senderMode = "system" })).EnsureSuccessStatusCode();
        var submitted = await ui.AdminApi.PostAsJsonAsync("/api/messages", new
        {
            senderUserId = sender.Id, to = new[] { "later@example.test" }, subject = "Scheduled for next week", text = "…", sendAfter = DateTimeOffset.UtcNow.AddDays(7),
        });
        submitted.EnsureSuccessStatusCode();
        var id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var page = await ui.NewPageAsync();
        await UiServer.SignInAsync(page, ui.AdminEmail, ui.AdminPassword);
        await page.GotoAsync("/queue?status=queued");
        await Expect(page.Locator("#stat-oldest strong")).Not.ToHaveTextAsync("—");
        await page.GetByRole(AriaRole.Link, new() { Name = "Scheduled for next week" }).ClickAsync();
        await page.WaitForURLAsync($"**/queue/{id}");
        await Expect(page.Locator("#message-status")).ToHaveTextAsync("queued");

        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(page.Locator("#action-result")).ToHaveTextAsync("Cancelled.");
        await Expect(page.Locator("#message-status")).ToHaveTextAsync("cancelled");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send again" }).ClickAsync();
        await Expect(page.Locator("#action-result")).ToHaveTextAsync("Queued again.");
        await Expect(page.Locator("#history")).ToContainTextAsync("Cancelled by");
        // Due now: the page follows it to its final state without a reload.
        await Expect(page.Locator("#message-status")).ToHaveTextAsync("captured, not delivered");
        await page.ReloadAsync();
        await Expect(page.Locator("#captured-banner")).ToContainTextAsync("data/captured-mail");

        // The sender's settings page says the same before anyone wonders where the mail went.
        await page.GotoAsync($"/settings/users/{sender.Id}");
        await Expect(page.Locator("#captures-locally")).ToContainTextAsync("not delivered");
    }
}
