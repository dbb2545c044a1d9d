using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mailroom.Testing;
using Microsoft.AspNetCore.Hosting;
using MimeKit;

namespace Mailroom.Server.Tests;

/// <summary>Templates (versions, preview, errors) and notifications (language fallback, version recorded, delivery).</summary>
public class TemplatesAndNotificationsApiTests
{
    private static MailroomServerFactory Factory(bool worker = false) => new(withBootstrapKey: true, configure: b =>
    {
        b.UseSetting("Mailroom:Delivery:WorkerEnabled", worker ? "true" : "false");
        b.UseSetting("Mailroom:Delivery:PollInterval", "00:00:00.100");
        b.UseSetting("Mailroom:Templates:DefaultLanguage", "en");
    });

    private static readonly object Invoice = new
    {
        description = "Invoice",
        languages = new
        {
            pl = new { subject = "Faktura {{number}}", text = "Dzień dobry {{name}}", html = "<p>Dzień dobry {{name}}</p>" },
            en = new { subject = "Invoice {{number}}", text = "Hello {{name}}", html = "<p>Hello {{name}}</p>" },
        },
        sampleData = new { number = "FV/1", name = "Anna <Nowak>" },
    };

    [Fact]
    public async Task EverySave_IsANewVersion_PreviewUsesSampleDataOrGivenData_EscapingHtml()
    {
        using var factory = Factory();
        var admin = factory.Admin();

        var first = await (await admin.PutJsonAsync("/api/templates/invoice", Invoice)).ReadJsonAsync();
        var second = await (await admin.PutJsonAsync("/api/templates/invoice", Invoice)).ReadJsonAsync();
        var preview = await (await admin.PostAsJsonAsync("/api/templates/invoice/preview", new { language = "pl" })).ReadJsonAsync();
        var withData = await (await admin.PostAsJsonAsync("/api/templates/invoice/preview", new { language = "en", version = 1, data = new { number = "7", name = "<script>" } })).ReadJsonAsync();

        Assert.Equal((1, 2), ((int)first["version"]!, (int)second["version"]!));
        Assert.Equal([2, 1], (await (await admin.GetAsync("/api/templates/invoice/versions")).ReadJsonAsync()).AsArray().Select(v => (int)v!));
        Assert.Equal(("Faktura FV/1", "Dzień dobry Anna <Nowak>", "<p>Dzień dobry Anna &lt;Nowak&gt;</p>"),
            ((string?)preview["subject"], (string?)preview["text"], (string?)preview["html"]));
        Assert.Equal(("Invoice 7", 1, "<p>Hello &lt;script&gt;</p>"), ((string?)withData["subject"], (int)withData["version"]!, (string?)withData["html"]));
        var list = (await (await admin.GetAsync("/api/templates")).ReadJsonAsync()).AsArray().Select(t => (string)t!["name"]!).ToArray();
        Assert.Equal(["document-handed-over", "invoice", "overdue-reminder"], list);
    }

    [Fact]
    public async Task TemplateErrors_NameTheFieldInTheCallersLanguage_NothingSaved()
    {
        using var factory = Factory();
        var admin = factory.Admin("pl");

        var broken = await admin.PutJsonAsync("/api/templates/broken", new
        {
            languages = new { pl = new { subject = "{{#if x}}", text = "x" }, en = new { subject = "", text = "" } },
        });
        var missing = await admin.PostAsJsonAsync("/api/templates/document-handed-over/preview", new { language = "en", data = new { documentName = "x" } });
        var user = await factory.NewUserAsync("jan", "jan@example.test");

        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        var errors = (await broken.ReadJsonAsync())["errors"]!;
        Assert.Equal("Wpisz temat.", (string?)errors["en.subject"]![0]);
        Assert.Equal("Wpisz treść tekstową lub HTML.", (string?)errors["en.text"]![0]);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/templates/broken")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("W danych brakuje pola", (await missing.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Forbidden, (await user.PutJsonAsync("/api/templates/invoice", Invoice)).StatusCode);
        var syntax = await admin.PutJsonAsync("/api/templates/broken", new
        {
            languages = new { pl = new { subject = "{{#if x}}", text = "x" }, en = new { subject = "ok", text = "ok" } },
        });
        Assert.Contains("Szablon jest niepoprawny", (string?)(await syntax.ReadJsonAsync())["errors"]!["pl.subject"]![0]);
    }

    [Fact]
    public async Task Notification_LanguageFallsBackToTheRecipientsKnownLanguage_ThenTheOrganisationDefault_VersionRecorded()
    {
        using var factory = Factory();
        var admin = factory.Admin();
        var data = new { recipientName = "Anna", documentName = "Umowa", documentNumber = "U/9", link = "https://dms.example/9", dueDate = "2026-12-01", handedOverBy = "Jan" };

        var explicitPl = await (await admin.PostAsJsonAsync("/api/notifications", new { template = "document-handed-over", language = "pl", recipient = "anna@example.test", data })).ReadJsonAsync();
        var remembered = await (await admin.PostAsJsonAsync("/api/notifications", new { template = "document-handed-over", recipient = "ANNA@example.test", data })).ReadJsonAsync();
        var unknown = await (await admin.PostAsJsonAsync("/api/notifications", new { template = "overdue-reminder", recipient = "nowy@example.test", data })).ReadJsonAsync();

        Assert.Equal(("document-handed-over", 1, "pl"), ((string?)explicitPl["template"]!["name"], (int)explicitPl["template"]!["version"]!, (string?)explicitPl["template"]!["language"]));
        Assert.Equal("pl", (string?)remembered["template"]!["language"]);
        Assert.Equal("en", (string?)unknown["template"]!["language"]);
        var message = await (await admin.GetAsync($"/api/messages/{remembered["id"]}")).ReadJsonAsync();
        Assert.Equal("Jan przekazał(a) Ci dokument Umowa U/9", (string?)message["subject"]);
        Assert.Equal("Reminder: Umowa U/9 was due on 2026-12-01", (string?)(await (await admin.GetAsync($"/api/messages/{unknown["id"]}")).ReadJsonAsync())["subject"]);
    }

    [Fact]
    public async Task Notification_WithMissingData_OrUnknownTemplate_IsRefused_NothingQueued()
    {
        using var factory = Factory();
        var admin = factory.Admin("pl");

        var missing = await admin.PostAsJsonAsync("/api/notifications", new { template = "document-handed-over", recipient = "a@example.test", data = new { documentName = "x" } });
        var unknown = await admin.PostAsJsonAsync("/api/notifications", new { template = "nie-ma", recipient = "a@example.test", data = new { } });
        var injection = await admin.PostAsJsonAsync("/api/notifications", new
        {
            template = "overdue-reminder", recipient = "a@example.test",
            data = new { recipientName = "A", documentName = "x\r\nBcc: victim@example.test", documentNumber = "1", link = "l", dueDate = "d", handedOverBy = "J" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, injection.StatusCode);
        Assert.Equal("template.subject.lineBreak", (string?)(await injection.ReadJsonAsync())["issues"]![0]!["code"]);
        Assert.Empty((await (await admin.GetAsync("/api/messages")).ReadJsonAsync())["items"]!.AsArray());
    }

    [MailTestbedFact]
    public async Task Notification_ArrivesAtTheRealServer_WithSignatureAndBcc_HtmlEscaped()
    {
        var bed = MailTestbed.Instance;
        using var factory = Factory(worker: true);
        var admin = factory.Admin();
        await QueueDriving.ConfigureTestbedAsGlobalAsync(admin);
        var anna = await factory.NewUserAsync("anna", "anna.nowak@example.test", displayName: "Anna Nowak");
        var archive = $"archive-{Guid.NewGuid():N}@example.test";
        (await anna.PutJsonAsync("/api/users/anna/settings", new { bcc = archive, signature = "Anna Nowak\nDział księgowości" })).EnsureSuccessStatusCode();
        var number = Guid.NewGuid().ToString("N");

        var response = await anna.PostAsJsonAsync("/api/notifications", new
        {
            template = "document-handed-over", language = "pl", recipient = bed.UserName,
            data = new { recipientName = "<b>Ewa</b>", documentName = "Faktura", documentNumber = number, link = "https://dms.example/1", dueDate = "2026-12-06", handedOverBy = "Jan" },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var received = (await bed.WaitForMessagesAsync(bed.UserName, m => m.Subject?.Contains(number, StringComparison.Ordinal) == true, TimeSpan.FromSeconds(60))).Single();
        Assert.Equal($"Jan przekazał(a) Ci dokument Faktura {number}", received.Subject);
        Assert.Contains("Dzień dobry <b>Ewa</b>", received.TextBody);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(received.TextBody!, "Dział księgowości")); // delivery adds it once
        Assert.Contains("&lt;b&gt;Ewa&lt;/b&gt;", received.HtmlBody);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(received.HtmlBody!, "Dział księgowości"));
        Assert.True(Directory.Exists(Path.Combine(bed.MailDirectory, "example.test", archive.Split('@')[0])), "the sender's BCC address received its copy");
    }
}
