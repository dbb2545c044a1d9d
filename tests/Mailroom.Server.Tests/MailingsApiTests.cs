using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Mailroom.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Server.Tests;

/// <summary>Mass mailings through the API: gating on the sender's own server, bad rows, pause/resume/cancel, the CSV report, real delivery.</summary>
public class MailingsApiTests
{
    private static MailroomServerFactory Factory(bool worker) => new(withBootstrapKey: true, configure: b =>
    {
        b.UseSetting("Mailroom:Delivery:WorkerEnabled", worker ? "true" : "false");
        b.UseSetting("Mailroom:Delivery:PollInterval", "00:00:00.100");
        b.UseSetting("Mailroom:Delivery:SmtpTimeout", "00:00:10");
        b.UseSetting("Mailroom:Delivery:Concurrency", "8");
    });

    /// <summary>Anna, sending through her own SMTP server at 127.0.0.1:<paramref name="port"/>.</summary>
    internal static async Task<HttpClient> AnnaWithOwnSmtpAsync(MailroomServerFactory factory, int port)
    {
        var admin = factory.Admin();
        (await admin.PutJsonAsync("/api/settings/port-policy", new { additionalPorts = new[] { port } })).EnsureSuccessStatusCode();
        var anna = await factory.NewUserAsync("anna", "anna.nowak@example.test", displayName: "Anna Nowak");
        var saved = await anna.PutJsonAsync("/api/users/anna/settings", new
        {
            senderMode = "ownSmtp", host = "127.0.0.1", port, encryption = "none", authentication = "none",
            fromAddress = "faktury@example.test", signature = "Anna Nowak\nDział księgowości",
        });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        return anna;
    }

    internal static MultipartFormDataContent Upload(string template, string recipients, string fileName, params (string Name, byte[] Content)[] attachments)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(template), "template" },
            { new StringContent("pl"), "language" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(recipients)), "recipients", fileName },
        };
        foreach (var (name, content) in attachments)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(part, "attachments", name);
        }
        return form;
    }

    private static async Task<JsonNode> StartAsync(HttpClient client, HttpContent content)
    {
        var response = await client.PostAsync("/api/mailings", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!;
    }

    private const string Rows = """
        email,documentName,documentNumber,link,dueDate,handedOverBy,recipientName,attachments
        klient1@example.test,Faktura,FV/1,https://dms.example/1,2026-12-06,Anna Nowak,=HYPERLINK("http://evil"),fv-1.pdf
        zly-adres,Faktura,FV/2,https://dms.example/2,2026-12-06,Anna Nowak,Jan,
        klient3@example.test,Faktura,FV/3,https://dms.example/3,2026-12-06,Anna Nowak,Ewa,brak.pdf
        klient4@example.test,Faktura,FV/4,https://dms.example/4,2026-12-06,Anna Nowak,Olga,
        """;

    [Fact]
    public async Task MailingUpload_MayExceedTheGeneralRequestLimit_WhichStillHoldsForOtherEndpoints()
    {
        // The general limit at its minimum (1 KiB); the mailing upload has its own (Mailroom:Limits:MaxUploadBytes).
        using var factory = new MailroomServerFactory(withBootstrapKey: true, b =>
        {
            b.UseSetting("Mailroom:Delivery:WorkerEnabled", "false");
            b.UseSetting("Mailroom:Limits:MaxRequestBodyBytes", "1024");
            b.UseSetting("Mailroom:Limits:MaxUploadBytes", "65536");
        });
        var anna = await AnnaWithOwnSmtpAsync(factory, 2525);
        var rows = "email,documentName,documentNumber,link,dueDate,handedOverBy,recipientName\n" + string.Concat(Enumerable.Range(1, 60).Select(i =>
            $"klient{i}@example.test,Faktura,FV/{i},https://dms.example/{i},2026-12-06,Anna Nowak,Klient {i}\n"));
        var upload = Upload("document-handed-over", rows, "r.csv");
        await upload.LoadIntoBufferAsync();
        Assert.True(upload.Headers.ContentLength > 4096, "the upload must be well over the general limit");

        var started = await StartAsync(anna, upload);
        var tooLarge = await anna.PostAsJsonAsync("/api/messages", new { to = new[] { "a@example.test" }, subject = "s", text = new string('x', 4096) });

        var hugeRows = "email\n" + string.Concat(Enumerable.Range(1, 5000).Select(i => $"klient{i}@example.test\n"));
        var overUpload = await anna.PostAsync("/api/mailings", Upload("document-handed-over", hugeRows, "huge.csv"));

        Assert.Equal(60, (int)started["counts"]!["queued"]!);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("Mailroom:Limits:MaxRequestBodyBytes", (string?)(await tooLarge.ReadJsonAsync())["title"]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, overUpload.StatusCode);
        Assert.Contains("Mailroom:Limits:MaxUploadBytes", (string?)(await overUpload.ReadJsonAsync())["title"]);
    }

    [Fact]
    public async Task SenderOnTheSystemRelay_IsRefused_WithTheReasonInBothLanguages_NothingStored()
    {
        using var factory = Factory(worker: false);
        var anna = await factory.NewUserAsync("anna", "anna.nowak@example.test");
        anna.DefaultRequestHeaders.AcceptLanguage.ParseAdd("pl");

        var response = await anna.PostAsync("/api/mailings", Upload("document-handed-over", Rows, "r.csv"));
        var english = await factory.Admin("en").PostAsync("/api/mailings", AddSender(Upload("document-handed-over", Rows, "r.csv"), "anna"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("mailing.sender.needsOwnServer", (string?)problem["issues"]![0]!["code"]);
        Assert.Contains("Wysyłka masowa jest dostępna tylko", (string?)problem["issues"]![0]!["message"]);
        Assert.Contains("Mass mailing is available only", (string?)(await english.ReadJsonAsync())["issues"]![0]!["message"]);
        Assert.Empty((await (await factory.Admin().GetAsync("/api/mailings")).ReadJsonAsync()).AsArray());
        Assert.Equal(0, (int?)(await (await factory.Admin().GetAsync("/api/messages/stats")).ReadJsonAsync())["queued"] ?? 0);
    }

    [Theory]
    [InlineData("en", "nobody", "message.sender.notFound")]
    [InlineData("pl", "nobody", "message.sender.notFound")]
    [InlineData("en", "anna", "message.sender.disabled")]
    [InlineData("pl", "anna", "message.sender.disabled")]
    public async Task AnUnknownOrDisabledSender_IsRefusedAsForASingleMessage_SameCodeFieldAndWords_NothingStored(string language, string sender, string code)
    {
        using var factory = Factory(worker: false);
        var anna = await AnnaWithOwnSmtpAsync(factory, 2599);
        (await anna.PutJsonAsync("/api/users/anna/settings", new { enabled = false })).EnsureSuccessStatusCode();
        var admin = factory.Admin(language);

        var mailing = await admin.PostAsync("/api/mailings", AddSender(Upload("overdue-reminder", "[]", "r.json"), sender));
        var message = await admin.PostAsJsonAsync("/api/messages", new { senderUserId = sender, to = new[] { "klient@example.test" }, subject = "x", text = "y" });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (mailing.StatusCode, message.StatusCode));
        var fromMailing = (await mailing.ReadJsonAsync())["issues"]![0]!;
        var fromMessage = (await message.ReadJsonAsync())["issues"]![0]!;
        Assert.Equal((code, "senderUserId"), ((string?)fromMailing["code"], (string?)fromMailing["field"]));
        Assert.Equal(((string?)fromMessage["code"], (string?)fromMessage["field"], (string?)fromMessage["message"]),
            ((string?)fromMailing["code"], (string?)fromMailing["field"], (string?)fromMailing["message"]));
        Assert.False(string.IsNullOrWhiteSpace((string?)fromMailing["message"]));
        Assert.Empty((await (await admin.GetAsync("/api/mailings")).ReadJsonAsync()).AsArray());
    }

    private static MultipartFormDataContent AddSender(MultipartFormDataContent content, string sender)
    {
        content.Add(new StringContent(sender), "senderUserId");
        return content;
    }

    [Fact]
    public async Task SuppressedAddress_IsABadRowWithTheReason_TheRestIsQueued()
    {
        using var factory = Factory(worker: false);
        var anna = await AnnaWithOwnSmtpAsync(factory, 2599);
        anna.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        await factory.Services.GetRequiredService<Mailroom.Core.Suppression.ISuppressionStore>().AddAsync(
            new("klient4@example.test", "hard bounce", "5.1.1", "550 5.1.1 no such user", null, DateTimeOffset.UtcNow));

        var mailing = await StartAsync(anna, Upload("document-handed-over", Rows, "r.csv", ("fv-1.pdf", [37, 80, 68, 70])));

        Assert.Equal((4, 1, 3), ((int)mailing["total"]!, (int)mailing["counts"]!["queued"]!, (int)mailing["counts"]!["rejected"]!));
        var report = await (await anna.GetAsync((string)mailing["reportUrl"]!)).Content.ReadAsStringAsync();
        var row4 = report.Split("\r\n").Single(l => l.StartsWith("4,", StringComparison.Ordinal));
        Assert.StartsWith("4,klient4@example.test,rejected,", row4);
        Assert.Contains("5.1.1", row4);
    }

    [Fact]
    public async Task BadRows_AreReportedPerRowWithTheReason_TheRestIsQueued_ReportIsCsvInjectionSafe()
    {
        using var factory = Factory(worker: false);
        var anna = await AnnaWithOwnSmtpAsync(factory, 2599);
        anna.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        var mailing = await StartAsync(anna, Upload("document-handed-over", Rows + "\nklient5@example.test,Faktura,FV/5\n", "r.csv", ("fv-1.pdf", [37, 80, 68, 70])));

        Assert.Equal((5, 2, 3), ((int)mailing["total"]!, (int)mailing["counts"]!["queued"]!, (int)mailing["counts"]!["rejected"]!));
        Assert.Equal("running", (string?)mailing["state"]);
        var report = await (await anna.GetAsync((string)mailing["reportUrl"]!)).Content.ReadAsStringAsync();
        var lines = report.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("row,email,status,reason,messageId,updatedAt", lines[0]);
        Assert.Equal(6, lines.Length);
        Assert.StartsWith("1,klient1@example.test,queued,Queued.,", lines[1]);
        Assert.StartsWith("2,zly-adres,rejected,'zly-adres' is not a valid e-mail address.,,", lines[2]);
        Assert.StartsWith("3,klient3@example.test,rejected,The attachment 'brak.pdf' was not uploaded or could not be read.,,", lines[3]);
        Assert.StartsWith("4,klient4@example.test,queued,", lines[4]);
        Assert.StartsWith("5,,rejected,The row could not be read: 3 cells where the header has 8,", lines[5]);

        var first = lines[1].Split(',')[4];
        var message = await (await anna.GetAsync($"/api/messages/{first}")).ReadJsonAsync();
        Assert.Equal("fv-1.pdf", (string?)message["attachments"]![0]!["fileName"]);
        Assert.Equal("bulk", (string?)message["priority"]);
        Assert.Equal("Anna Nowak przekazał(a) Ci dokument Faktura FV/1", (string?)message["subject"]);

        var polish = await (await factory.Admin("pl").GetAsync((string)mailing["reportUrl"]!)).Content.ReadAsStringAsync();
        Assert.Contains("'zly-adres' nie jest poprawnym adresem e-mail.", polish);
    }

    [Fact]
    public async Task CsvInjection_InAReasonOrAddress_IsNeutralisedInTheReport()
    {
        using var factory = Factory(worker: false);
        var anna = await AnnaWithOwnSmtpAsync(factory, 2599);

        var mailing = await StartAsync(anna, Upload("document-handed-over", """
            [{"email":"=cmd|' /C calc'!A0","data":{}}, {"email":"@SUM(1+1)@example.test","data":{}}]
            """, "r.json"));

        var report = await (await anna.GetAsync((string)mailing["reportUrl"]!)).Content.ReadAsStringAsync();
        var lines = report.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("1,'=cmd|' /C calc'!A0,rejected,", lines[1]);
        Assert.StartsWith("2,'@SUM(1+1)@example.test,rejected,", lines[2]);
    }

    [Fact]
    public async Task PauseHolds_ResumeQueuesAgain_CancelCancels_AndIsFinal()
    {
        using var factory = Factory(worker: false);
        var anna = await AnnaWithOwnSmtpAsync(factory, 2599);
        var rows = string.Join(",", Enumerable.Range(1, 1200).Select(i =>
            "{\"email\":\"k" + i + "@example.test\",\"data\":{\"recipientName\":\"K\",\"documentName\":\"F\",\"documentNumber\":\"" + i +
            "\",\"link\":\"l\",\"dueDate\":\"d\",\"handedOverBy\":\"A\"}}"));
        var mailing = await StartAsync(anna, Upload("document-handed-over", "[" + rows + "]", "r.json"));
        var id = (string)mailing["id"]!;
        Assert.Equal(1200, (int)mailing["counts"]!["queued"]!);

        var paused = await (await anna.PostAsync($"/api/mailings/{id}/pause", null)).ReadJsonAsync();
        Assert.Equal(("paused", 1200, 0), ((string?)paused["state"], (int)paused["counts"]!["held"]!, (int)paused["counts"]!["queued"]!));
        Assert.Equal(HttpStatusCode.Conflict, (await anna.PostAsync($"/api/mailings/{id}/pause", null)).StatusCode);

        var resumed = await (await anna.PostAsync($"/api/mailings/{id}/resume", null)).ReadJsonAsync();
        Assert.Equal(("running", 0, 1200), ((string?)resumed["state"], (int)resumed["counts"]!["held"]!, (int)resumed["counts"]!["queued"]!));

        var cancelled = await (await anna.PostAsync($"/api/mailings/{id}/cancel", null)).ReadJsonAsync();
        Assert.Equal(("cancelled", 1200, 100.0, true), ((string?)cancelled["state"], (int)cancelled["counts"]!["cancelled"]!, (double)cancelled["percent"]!, (bool)cancelled["completed"]!));
        var again = await factory.Admin("pl").PostAsync($"/api/mailings/{id}/resume", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Wysyłka ma stan cancelled", (string?)(await again.ReadJsonAsync())["title"]);
    }

    [Fact]
    public async Task AnotherUsersMailing_IsNotFound_AndSendingAsSomeoneElseIsRefused()
    {
        using var factory = Factory(worker: false);
        var anna = await AnnaWithOwnSmtpAsync(factory, 2599);
        var jan = await factory.NewUserAsync("jan", "jan@example.test");
        var mailing = await StartAsync(anna, Upload("overdue-reminder", "[]", "r.json"));

        Assert.Equal(HttpStatusCode.NotFound, (await jan.GetAsync($"/api/mailings/{mailing["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await jan.GetAsync($"/api/mailings/{mailing["id"]}/report.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await jan.PostAsync($"/api/mailings/{mailing["id"]}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await jan.PostAsync("/api/mailings", AddSender(Upload("overdue-reminder", "[]", "r.json"), "anna"))).StatusCode);
        Assert.Empty((await (await jan.GetAsync("/api/mailings")).ReadJsonAsync()).AsArray());
        Assert.True((bool)mailing["completed"]!, "an empty mailing is complete at once");
    }

    [MailTestbedFact]
    public async Task ThreeThousandRecipientsWithAttachments_AreDeliveredToTheRealSmtpSink_AndCounted()
    {
        const int count = 3000;
        using var sink = SmtpSink.Start();
        using var factory = Factory(worker: true);
        var anna = await AnnaWithOwnSmtpAsync(factory, sink.Port);
        var csv = new StringBuilder("email,recipientName,documentName,documentNumber,link,dueDate,handedOverBy,attachments\n");
        for (var i = 1; i <= count; i++)
            csv.Append($"klient{i}@example.test,Klient {i},Faktura,FV/{i},https://dms.example/{i},2026-12-06,Anna Nowak,fv-{i % 3}.pdf;regulamin.pdf\n");
        var pdfs = Enumerable.Range(0, 3).Select(i => ($"fv-{i}.pdf", Encoding.ASCII.GetBytes($"%PDF-1.4 invoice {i} %%EOF"))).ToList();
        pdfs.Add(("regulamin.pdf", Encoding.ASCII.GetBytes("%PDF-1.4 terms %%EOF")));

        var mailing = await StartAsync(anna, Upload("document-handed-over", csv.ToString(), "klienci.csv", [.. pdfs]));
        var id = (string)mailing["id"]!;

        var progress = await Polling.WaitUntilAsync(async () => await (await anna.GetAsync($"/api/mailings/{id}")).ReadJsonAsync(),
            p => (bool)p["completed"]!, TimeSpan.FromMinutes(8), p => p.ToJsonString(), TimeSpan.FromMilliseconds(500));

        Assert.True((bool)progress["completed"]!, progress.ToJsonString());
        Assert.Equal((count, count, 100.0), ((int)progress["counts"]!["sent"]!, (int)progress["done"]!, (double)progress["percent"]!));
        // Wait on readable Message-Ids, not files: the sink creates a dump file before it is complete.
        await Polling.WaitUntilAsync(() => sink.ReceivedMessageIds().Distinct().Count(), n => n >= count, TimeSpan.FromSeconds(60));
        Assert.Equal(count, sink.ReceivedMessageIds().Distinct().Count());
        var sample = File.ReadAllText(Directory.EnumerateFiles(sink.MailDirectory).First());
        Assert.Contains("regulamin.pdf", sample);
        Assert.Contains("filename=fv-", sample);
        var report = (await (await anna.GetAsync($"/api/mailings/{id}/report.csv")).Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(count + 1, report.Length);
        Assert.All(report.Skip(1), line => Assert.Contains(",sent,", line));
    }
    [MailTestbedFact]
    public async Task Mailing_KeepsTheSendersRateLimit_DelayingNeverFailing()
    {
        // "Per minute" counts over a 2 s window here, so several windows pass in a short test.
        const int cap = 5, count = 15;
        var window = TimeSpan.FromSeconds(2);
        using var sink = SmtpSink.Start();
        using var factory = new MailroomServerFactory(withBootstrapKey: true, configure: b =>
        {
            b.UseSetting("Mailroom:Delivery:PollInterval", "00:00:00.100");
            b.UseSetting("Mailroom:Delivery:Concurrency", "8");
            b.UseSetting("Mailroom:Delivery:RateLimitMinute", "00:00:02");
        });
        var anna = await AnnaWithOwnSmtpAsync(factory, sink.Port);
        var limited = await anna.PutJsonAsync("/api/users/anna/settings", new
        {
            senderMode = "ownSmtp", host = "127.0.0.1", port = sink.Port, encryption = "none", authentication = "none",
            fromAddress = "faktury@example.test", rateLimitPerMinute = cap,
        });
        Assert.True(limited.IsSuccessStatusCode, await limited.Content.ReadAsStringAsync());
        var rows = "email,documentName,documentNumber,link,dueDate,handedOverBy,recipientName\n" + string.Concat(Enumerable.Range(1, count).Select(i =>
            $"klient{i}@example.test,Faktura,FV/{i},https://dms.example/{i},2026-12-06,Anna Nowak,Klient {i}\n"));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var id = (string)(await StartAsync(anna, Upload("document-handed-over", rows, "r.csv")))["id"]!;
        var progress = await Polling.WaitUntilAsync(
            async () => await (await anna.GetAsync($"/api/mailings/{id}")).ReadJsonAsync(), p => (bool)p["completed"]!, TimeSpan.FromSeconds(60));
        var elapsed = clock.Elapsed;

        // Throttling delays and never fails: every row sent. The cap lets 5 through per window, so
        // 15 need at least two full windows after the first (without the limit they take well under one).
        Assert.Equal((count, 0), ((int)progress["counts"]!["sent"]!, (int)progress["counts"]!["failed"]!));
        Assert.True(elapsed >= window * (count / cap - 1), $"{count} messages at {cap} per {window.TotalSeconds} s were all sent in {elapsed.TotalSeconds:0.0} s");
    }
}
