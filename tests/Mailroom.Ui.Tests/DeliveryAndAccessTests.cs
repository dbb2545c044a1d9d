using System.Net.Http.Json;
using Mailroom.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Ui.Tests;

/// <summary>The test message through the real test bed, the connection check, the queue, and who may open what.</summary>
[Collection(UiCollection.Name)]
public sealed class DeliveryAndAccessTests(UiServer ui)
{
    [ChromiumAndTestbedFact]
    public async Task ATestMessage_ThroughTheTestBed_TurnsSentOnThePage_WithoutAReload()
    {
        var bed = MailTestbed.Instance;
        var page = await ui.NewPageAsync();
        await UiServer.SignInAsync(page, ui.AdminEmail, ui.AdminPassword);

        // The test bed's submission port is not one of 25/465/587: open it on the Administration page.
        await page.GotoAsync("/admin");
        await page.GetByLabel("Additional ports (comma-separated)").FillAsync(bed.SubmissionPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#save-ports").ClickAsync();
        await Expect(page.Locator("#admin-done")).ToHaveTextAsync("Port policy saved.");
        await UiServer.ScreenshotAsync(page, "administration");

        await page.GotoAsync("/settings/server");
        await page.GetByLabel("Enable sending e-mail").SelectOptionAsync("true");
        await page.GetByLabel("E-mail (outgoing)").FillAsync(bed.UserName);
        await page.GetByLabel("Display name").FillAsync("Mailroom UI test");
        await page.GetByLabel("Message sender").SelectOptionAsync("OwnSmtp");
        await page.GetByLabel("Server name").FillAsync(bed.Host);
        await page.GetByLabel("Port", new() { Exact = true }).FillAsync(bed.SubmissionPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Encryption method").SelectOptionAsync("StartTls");
        await page.GetByLabel("Authentication method").SelectOptionAsync("Password");
        await page.GetByLabel("Login", new() { Exact = true }).FillAsync(bed.UserName);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(bed.Password);
        await page.GetByLabel("Pinned certificate (SHA-256)").FillAsync(bed.CertificateSha256);

        // Check the typed, unsaved settings first: the step-by-step report.
        await page.GetByRole(AriaRole.Button, new() { Name = "Check connection" }).ClickAsync();
        var report = page.Locator("#check-report");
        await Expect(report).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(report.Locator("h2 .badge")).ToHaveTextAsync("OK");
        await UiServer.ScreenshotAsync(page, "check-connection-report");

        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(bed.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("#saved")).ToBeVisibleAsync();

        await page.GetByLabel("Recipient's e-mail address").FillAsync($"ui-test@{bed.Domain}");
        await page.GetByLabel("Subject").FillAsync("Mailroom UI test message");
        await page.GetByLabel("Attachment (optional)").SetInputFilesAsync(new FilePayload { Name = "note.txt", MimeType = "text/plain", Buffer = "attached"u8.ToArray() });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        await Expect(page.Locator("#test-queued")).ToContainTextAsync("Message queued.");

        // A marker a reload would wipe: the status must change under it.
        await page.EvaluateAsync("window.__sameDocument = true");
        await Expect(page.Locator("#test-status")).ToHaveAttributeAsync("data-status", "sent", new() { Timeout = 60_000 });
        await Expect(page.Locator("#test-status")).ToHaveTextAsync("sent");
        Assert.True(await page.EvaluateAsync<bool>("window.__sameDocument === true"), "The page was reloaded.");
        await UiServer.ScreenshotAsync(page, "test-message-sent");

        // The message's page shows its history with the server's reply.
        await page.GetByRole(AriaRole.Link, new() { Name = "details and history" }).ClickAsync();
        await Expect(page.Locator("#message-status")).ToHaveTextAsync("sent");
        await Expect(page.Locator("#history")).ToContainTextAsync("250");
        await UiServer.ScreenshotAsync(page, "message-history");

        await page.GotoAsync("/queue?status=sent");
        await Expect(page.Locator("#messages")).ToContainTextAsync("Mailroom UI test message");
        Assert.NotEqual("0", (await page.Locator("#stat-sent-today strong").InnerTextAsync()).Trim());
        await UiServer.ScreenshotAsync(page, "queue");
    }

    [ChromiumFact]
    public async Task AUser_SeesTheirOwnSettings_ButNotAnotherUsersPage_NorTheAdministratorsPages()
    {
        var anna = await ui.CreateUserAsync("anna");
        var piotr = await ui.CreateUserAsync("piotr");
        var page = await ui.NewPageAsync();
        await UiServer.SignInAsync(page, anna.Email, anna.Password);

        await page.GotoAsync("/settings/mine");
        await page.WaitForURLAsync($"**/settings/users/{anna.Id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("My sender settings");
        // Inherited values are placeholders that name their source.
        await Expect(page.Locator("#f-fromAddress")).ToHaveAttributeAsync("placeholder", $"{anna.Email} (your account)");
        await page.GetByLabel("Signature").FillAsync("Anna\nDział sprzedaży");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("#saved")).ToBeVisibleAsync();
        await UiServer.ScreenshotAsync(page, "my-sender-settings");

        var other = await page.GotoAsync($"/settings/users/{piotr.Id}");
        Assert.Equal(403, other!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not yours to open");
        Assert.Equal(403, (await page.GotoAsync("/settings/server"))!.Status);
        Assert.Equal(403, (await page.GotoAsync("/admin"))!.Status);

        // A posted form for someone else is refused too, not only the page.
        var refused = await page.APIRequest.PostAsync($"/settings/users/{piotr.Id}?handler=Save", new() { MaxRedirects = 0 });
        Assert.NotEqual(200, refused.Status);
        var piotrsProfile = await ui.AdminApi.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/users/{piotr.Id}/settings");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, piotrsProfile.GetProperty("signature").ValueKind);
    }

    [ChromiumFact]
    public async Task WithASharedSender_AUserMayChangeOnlyLoginAndPassword()
    {
        var shared = await ui.CreateUserAsync("shared");
        var ewa = await ui.CreateUserAsync("ewa");
        (await ui.AdminApi.PutAsJsonAsync("/api/settings/shared-sender", new { userId = shared.Id })).EnsureSuccessStatusCode();
        try
        {
            var page = await ui.NewPageAsync();
            await UiServer.SignInAsync(page, ewa.Email, ewa.Password);
            await page.GotoAsync("/settings/mine");
            await Expect(page.GetByLabel("Server name")).ToBeDisabledAsync();
            await Expect(page.GetByLabel("Port", new() { Exact = true })).ToBeDisabledAsync();
            await Expect(page.GetByLabel("Login", new() { Exact = true })).ToBeEnabledAsync();
            await page.GetByLabel("Login", new() { Exact = true }).FillAsync("ewa.login");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Expect(page.Locator("#saved")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Row, new() { Name = "Login" })).ToContainTextAsync("ewa.login");
        }
        finally
        {
            (await ui.AdminApi.PutAsJsonAsync("/api/settings/shared-sender", new { userId = (string?)null })).EnsureSuccessStatusCode();
        }
    }
}
