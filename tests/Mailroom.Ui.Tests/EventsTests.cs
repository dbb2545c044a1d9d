using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Ui.Tests;

/// <summary>The Events page (from a message, filtered, in both languages, a user sees their own) and the webhooks page.</summary>
[Collection(UiCollection.Name)]
public sealed class EventsTests(UiServer ui)
{
    [ChromiumFact]
    public async Task FromAMessage_ToItsEvents_FilteredByType_InBothLanguages_AndAUserSeesOnlyTheirOwn()
    {
        var ewa = await ui.CreateUserAsync("ewa");
        (await ui.AdminApi.PutAsJsonAsync($"/api/users/{ewa.Id}/settings", new { enabled = true, senderMode = "system" })).EnsureSuccessStatusCode();
        // Scheduled a week ahead and cancelled: two events, and no delivery in between.
        var submitted = await ui.AdminApi.PostAsJsonAsync("/api/messages", new
        {
            senderUserId = ewa.Id, to = new[] { "customer@example.test" }, subject = "Events invoice", text = "…", sendAfter = DateTimeOffset.UtcNow.AddDays(7),
        });
        submitted.EnsureSuccessStatusCode();
        var messageId = (await submitted.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
        (await ui.AdminApi.PostAsJsonAsync($"/api/messages/{messageId}/cancel", new { reason = "Customer paid already." })).EnsureSuccessStatusCode();

        var admin = await ui.NewPageAsync();
        await UiServer.SignInAsync(admin, ui.AdminEmail, ui.AdminPassword);
        await admin.GotoAsync($"/queue/{messageId}");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Events of this message" }).ClickAsync();
        await Expect(admin.Locator("#events tbody tr")).ToHaveCountAsync(2);
        await Expect(admin.Locator("#events tbody tr").Nth(0)).ToContainTextAsync("message.queued");
        await Expect(admin.Locator("#events tbody tr").Nth(1)).ToContainTextAsync("Customer paid already.");

        await admin.GetByLabel("Type", new() { Exact = true }).SelectOptionAsync("message.cancelled");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(admin.Locator("#events tbody tr")).ToHaveCountAsync(1);
        await Expect(admin.Locator("#events tbody tr")).ToContainTextAsync("message.cancelled");
        await Expect(admin.GetByLabel("Message id")).ToHaveValueAsync(messageId);

        await admin.Locator("#language-choice").SelectOptionAsync("pl");
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Zdarzenia", Exact = true })).ToBeVisibleAsync();
        await Expect(admin.Locator("#events tbody tr")).ToHaveCountAsync(1);
        await Expect(admin.GetByLabel("Identyfikator wiadomości")).ToHaveValueAsync(messageId);

        var user = await ui.NewPageAsync();
        await UiServer.SignInAsync(user, ewa.Email, ewa.Password);
        await user.GetByRole(AriaRole.Link, new() { Name = "Events" }).ClickAsync();
        var rows = user.Locator("#events tbody tr");
        await Expect(rows.Filter(new() { HasText = messageId })).ToHaveCountAsync(2);
        Assert.Equal(await rows.CountAsync(), await rows.Filter(new() { HasText = ewa.Id }).CountAsync());
        await Expect(user.GetByLabel("User id")).ToHaveCountAsync(0);
        await user.GotoAsync("/events?userId=admin");
        Assert.Equal(await rows.CountAsync(), await rows.Filter(new() { HasText = ewa.Id }).CountAsync());
    }

    [ChromiumFact]
    public async Task Webhooks_BadUrlNamed_SecretShownOnce_DeliveryLogReachable()
    {
        var page = await ui.NewPageAsync();
        await UiServer.SignInAsync(page, ui.AdminEmail, ui.AdminPassword);
        await page.GotoAsync("/admin/webhooks");

        await page.GetByLabel("URL", new() { Exact = true }).FillAsync("ftp://files.example.test/in");
        await page.GetByLabel("Event types (comma-separated, e.g. message.sent, message.*, *)").FillAsync("message.failed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        await Expect(page.Locator("#err-url")).ToContainTextAsync("must start with http:// or https://");
        await Expect(page.Locator("#webhook-secret")).ToHaveCountAsync(0);

        var url = $"http://127.0.0.1:9/ui-test-{Guid.NewGuid():N}";
        await page.GetByLabel("URL", new() { Exact = true }).FillAsync(url);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        await Expect(page.Locator("#webhook-secret")).ToContainTextAsync("whsec_");
        var row = page.Locator("#webhooks tbody tr", new() { HasText = url });
        await Expect(row).ToContainTextAsync("message.failed");

        await page.GotoAsync("/admin/webhooks");
        await Expect(page.Locator("#webhook-secret")).ToHaveCountAsync(0);
        await row.GetByRole(AriaRole.Link, new() { Name = "Delivery log" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Delivery log" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Nothing delivered yet.")).ToBeVisibleAsync();

        await page.Locator("#webhooks tbody tr", new() { HasText = url }).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.Locator("#webhooks tbody tr", new() { HasText = url })).ToHaveCountAsync(0);
    }
}
