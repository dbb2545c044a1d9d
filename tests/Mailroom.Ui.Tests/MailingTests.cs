using System.Net.Http.Json;
using System.Text;
using Mailroom.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Ui.Tests;

/// <summary>A mass mailing started from the browser, paused and resumed, delivered to the real smtp-sink; the progress bar reaches 100 %.</summary>
[Collection(UiCollection.Name)]
public sealed class MailingTests(UiServer ui)
{
    [ChromiumFact]
    public async Task UploadedMailing_PausedAndResumed_ProgressBarReaches100_AndTheBadRowIsCounted()
    {
        using var sink = SmtpSink.Start();
        var ewa = await ui.CreateUserAsync("ewa");
        var policy = await ui.AdminApi.GetFromJsonAsync<PortPolicy>("/api/settings/port-policy");
        (await ui.AdminApi.PutAsJsonAsync("/api/settings/port-policy", new { additionalPorts = (policy?.AdditionalPorts ?? []).Append(sink.Port).Distinct() })).EnsureSuccessStatusCode();
        (await ui.AdminApi.PutAsJsonAsync($"/api/users/{ewa.Id}/settings", new
        {
            enabled = true, senderMode = "ownSmtp", host = "127.0.0.1", port = sink.Port, encryption = "none", authentication = "none",
        })).EnsureSuccessStatusCode();
        const int good = 300;
        var csv = new StringBuilder("email,recipientName,documentName,documentNumber,link,dueDate,handedOverBy,attachments\n");
        for (var i = 1; i <= good; i++) csv.Append($"k{i}@example.test,K {i},Faktura,FV/{i},https://dms.example/{i},2026-12-06,Ewa,fv.pdf\n");
        csv.Append("not-an-address,X,Faktura,FV/0,l,d,Ewa,\n");

        var page = await ui.NewPageAsync();
        await UiServer.SignInAsync(page, ewa.Email, ewa.Password);
        await page.GotoAsync("/mailings");
        await page.GetByLabel("Name").FillAsync("Invoices November");
        await page.GetByLabel("Template").SelectOptionAsync("document-handed-over");
        await page.GetByLabel("Recipients file (CSV or JSON)").SetInputFilesAsync(new FilePayload { Name = "customers.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv.ToString()) });
        await page.GetByLabel("Attachments").SetInputFilesAsync(new FilePayload { Name = "fv.pdf", MimeType = "application/pdf", Buffer = Encoding.ASCII.GetBytes("%PDF-1.4 invoice %%EOF") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Start the mailing" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Invoices November" })).ToBeVisibleAsync();
        await Expect(page.Locator("#count-rejected")).ToHaveTextAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(page.Locator("#mailing-state")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Paused|Completed"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();

        await Expect(page.Locator("#mailing-progress")).ToHaveJSPropertyAsync("value", 100, new() { Timeout = 120_000 });
        await Expect(page.Locator("#mailing-state")).ToHaveTextAsync("Completed");
        await Expect(page.Locator("#count-sent")).ToHaveTextAsync(good.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await UiServer.ScreenshotAsync(page, "mailing-completed");
        Assert.Equal(good, await Polling.WaitUntilAsync(() => sink.ReceivedCount, n => n >= good, TimeSpan.FromSeconds(60), interval: TimeSpan.FromMilliseconds(200)));

        var reportUrl = await page.Locator("#mailing-report").GetAttributeAsync("href");
        var report = await page.APIRequest.GetAsync(reportUrl!);
        var text = await report.TextAsync();
        Assert.Contains("not-an-address,rejected,", text);
        Assert.Equal(good + 2, text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private sealed record PortPolicy(int[]? AdditionalPorts);
}
