using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MailKit.Net.Smtp;
using MailKit.Security;
using Mailroom.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Mailroom.Server.Tests;

/// <summary>
/// Bounces against the real test bed: Mailroom sends through Postfix (the system relay) with a
/// VERP envelope sender, Postfix makes a real DSN for an unknown mailbox, Dovecot files it in the
/// bounce mailbox, and Mailroom's poller reads it over IMAP.
/// </summary>
[Collection(BounceMailboxCollection.Name)]
public class BounceEndToEndTests
{
    private static MailroomServerFactory Factory(TimeSpan? idleRestart = null, Action<IWebHostBuilder>? more = null)
    {
        var bed = MailTestbed.Instance;
        return new MailroomServerFactory(withBootstrapKey: true, configure: b =>
        {
            b.UseSetting("Mailroom:Delivery:PollInterval", "00:00:00.100");
            b.UseSetting("Mailroom:Delivery:SmtpTimeout", "00:00:10");
            b.UseSetting("Mailroom:Delivery:SystemRelay:Host", bed.Host);
            b.UseSetting("Mailroom:Delivery:SystemRelay:Port", bed.PlainPort.ToString());
            b.UseSetting("Mailroom:Delivery:SystemRelay:Encryption", "none");
            b.UseSetting("Mailroom:Delivery:SystemRelay:FromAddress", $"noreply@{bed.Domain}");
            b.UseSetting("Mailroom:Bounces:Domain", bed.Domain);
            b.UseSetting("Mailroom:Bounces:Imap:Host", bed.Host);
            b.UseSetting("Mailroom:Bounces:Imap:Port", bed.ImapsPort.ToString());
            b.UseSetting("Mailroom:Bounces:Imap:Encryption", "sslTls");
            b.UseSetting("Mailroom:Bounces:Imap:Login", bed.BouncesUserName);
            b.UseSetting("Mailroom:Bounces:Imap:Password", bed.Password);
            b.UseSetting("Mailroom:Bounces:Imap:CertificateSha256", bed.CertificateSha256);
            b.UseSetting("Mailroom:Bounces:Imap:PollInterval", "00:00:00.500");
            b.UseSetting("Mailroom:Bounces:Imap:IdleRestart", (idleRestart ?? TimeSpan.FromSeconds(2)).ToString("c"));
            more?.Invoke(b);
        });
    }

    private static Task<JsonNode> WaitForAsync(HttpClient client, string url, Func<JsonNode, bool> done, string what) =>
        Polling.WaitUntilAsync(async () => await (await client.GetAsync(url)).ReadJsonAsync(), done, TimeSpan.FromSeconds(90),
            node => $"{what}: {node.ToJsonString()}", TimeSpan.FromMilliseconds(200));

    private static Task<string> SubmitAsync(HttpClient client, object body) => QueueDriving.PostMessageAsync(client, body);

    private static async Task SendToBounceMailboxAsync(MimeMessage message)
    {
        var bed = MailTestbed.Instance;
        using var smtp = new SmtpClient { LocalDomain = MailTestbed.ClientLocalDomain };
        await smtp.ConnectAsync(bed.Host, bed.PlainPort, SecureSocketOptions.None);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);
    }

    [MailTestbedFact]
    public async Task UnknownMailbox_RealDsn_MessageBounced_RecipientSuppressed_NextMessageRefused_UntilLifted()
    {
        using var factory = Factory();
        var admin = factory.Admin();
        var recipient = $"nobody-{Guid.NewGuid():N}@bounce.test";

        var id = await SubmitAsync(admin, new { to = new[] { recipient }, subject = "Faktura", text = "Dzień dobry" });
        var message = await WaitForAsync(admin, $"/api/messages/{id}", m => (string?)m["status"] is "bounced" or "failed" or "held",
            "the message did not bounce");

        Assert.Equal("bounced", (string?)message["status"]);
        var history = message["history"]!.AsArray();
        Assert.Contains(history, h => (string?)h!["status"] == "sent");
        var bounce = history.Last()!;
        Assert.Equal("bounced", (string?)bounce["status"]);
        Assert.Equal("5.1.1", (string?)bounce["reply"]!["enhancedCode"]);
        Assert.Contains("mailbox does not exist", (string?)bounce["reply"]!["text"]);
        Assert.Equal(recipient, (string?)bounce["recipients"]![0]!["address"]);

        var inbound = await (await admin.GetAsync($"/api/bounces/inbound?messageId={id}")).ReadJsonAsync();
        var kept = Assert.Single(inbound["items"]!.AsArray())!;
        Assert.Equal("bounce", (string?)kept["kind"]);
        Assert.Equal("verp", (string?)kept["correlatedBy"]);

        // The DSN Postfix wrote proves what Mailroom asked for: ENVID = the message id, RET=HDRS (headers only).
        var dsn = await MimeMessage.LoadAsync(await admin.GetStreamAsync($"/api/bounces/inbound/{(string)kept["id"]!}/raw"));
        var report = dsn.BodyParts.OfType<MessageDeliveryStatus>().Single();
        Assert.Equal(id, report.StatusGroups[0]["Original-Envelope-Id"]);
        Assert.Contains(dsn.BodyParts, part => part.ContentType.IsMimeType("text", "rfc822-headers"));
        Assert.DoesNotContain(dsn.BodyParts, part => part.ContentType.IsMimeType("message", "rfc822"));

        var suppression = await (await admin.GetAsync($"/api/suppressions/{recipient}")).ReadJsonAsync();
        Assert.Equal("5.1.1", (string?)suppression["status"]);
        Assert.Equal(id, (string?)suppression["messageId"]);

        var refused = await admin.PostAsJsonAsync("/api/messages", new { to = new[] { "ok@example.test" }, bcc = new[] { recipient.ToUpperInvariant() }, subject = "Again", text = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.ReadJsonAsync();
        var issue = problem["issues"]!.AsArray().Single()!;
        Assert.Equal("bcc", (string?)issue["field"]);
        Assert.Equal("message.recipient.suppressed", (string?)issue["code"]);
        Assert.Contains("suppression list", (string?)issue["message"]);
        var polish = await factory.Admin("pl").PostAsJsonAsync("/api/messages", new { to = new[] { recipient }, subject = "Again", text = "x" });
        Assert.Contains("liście blokad", await polish.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/suppressions/{recipient}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/suppressions/{recipient}")).StatusCode);
        await SubmitAsync(admin, new { to = new[] { recipient }, subject = "After lifting", text = "x" });
    }

    [MailTestbedFact]
    public async Task ABounceArrivingWhileThePollerIsBusyWithAnother_IsReadAtOnce_NotAfterTheIdleRestart()
    {
        // The poller is held inside the intake of the first DSN until the second DSN is in the mailbox, so the
        // server announces the new mail (EXISTS) in its answer to a command of that pass (the flag STORE), not
        // during IDLE. That announcement must not be missed: with IdleRestart at 3 minutes, waiting for the
        // next IDLE restart would leave the second message un-bounced far past this test's wait.
        var bed = MailTestbed.Instance;
        HttpClient? admin = null;
        string? second = null;
        var held = 0;
        async Task WhileTheFirstIsTakenInAsync()
        {
            if (Interlocked.Exchange(ref held, 1) == 1) return;
            second = await SubmitAsync(admin!, new { to = new[] { $"nobody-{Guid.NewGuid():N}@bounce.test" }, subject = "Second", text = "x" });
            await bed.WaitForMessagesAsync(bed.BouncesUserName, m => m.BodyParts.OfType<MessageDeliveryStatus>()
                .Any(report => report.StatusGroups.Any(group => group["Original-Envelope-Id"] == second)), TimeSpan.FromSeconds(60));
        }
        using var factory = Factory(TimeSpan.FromMinutes(3), b => b.ConfigureTestServices(services =>
        {
            services.AddSingleton<Storage.Sqlite.SqliteInboundMailStore>();
            services.AddSingleton<Core.Bounces.IInboundMailStore>(sp =>
                new InboundMailStoreWithHook(sp.GetRequiredService<Storage.Sqlite.SqliteInboundMailStore>(), WhileTheFirstIsTakenInAsync));
        }));
        admin = factory.Admin();

        var first = await SubmitAsync(admin, new { to = new[] { $"nobody-{Guid.NewGuid():N}@bounce.test" }, subject = "First", text = "x" });
        await WaitForAsync(admin, $"/api/messages/{first}", m => (string?)m["status"] == "bounced", "the first message did not bounce");
        Assert.NotNull(second);
        var message = await Polling.WaitUntilAsync(async () => await (await admin.GetAsync($"/api/messages/{second}")).ReadJsonAsync(),
            m => (string?)m["status"] == "bounced", TimeSpan.FromSeconds(45), m => $"the second bounce was not read: {m.ToJsonString()}");

        Assert.Equal("5.1.1", (string?)message["history"]!.AsArray().Last()!["reply"]!["enhancedCode"]);
    }

    /// <summary>The real store, with a pause in the first <see cref="AddAsync"/> (the intake keeping a new mail).</summary>
    private sealed class InboundMailStoreWithHook(Core.Bounces.IInboundMailStore store, Func<Task> onAdd) : Core.Bounces.IInboundMailStore
    {
        public async Task<Core.Bounces.InboundMail> AddAsync(Core.Bounces.InboundMail mail, CancellationToken cancellationToken = default)
        {
            await onAdd();
            return await store.AddAsync(mail, cancellationToken);
        }

        public Task<Core.Bounces.InboundMail?> FindBySourceAsync(string sourceKey, CancellationToken cancellationToken = default) =>
            store.FindBySourceAsync(sourceKey, cancellationToken);

        public Task MarkProcessedAsync(string id, string detail, DateTimeOffset at, CancellationToken cancellationToken = default) =>
            store.MarkProcessedAsync(id, detail, at, cancellationToken);

        public Task<Core.Bounces.InboundMail?> GetAsync(string id, CancellationToken cancellationToken = default) => store.GetAsync(id, cancellationToken);

        public Task<Core.Bounces.InboundMailPage> ListAsync(Core.Bounces.InboundMailKind? kind, string? messageId, int limit, string? cursor,
            CancellationToken cancellationToken = default) => store.ListAsync(kind, messageId, limit, cursor, cancellationToken);
    }

    [MailTestbedFact]
    public async Task OneOfTwoRecipientsBounces_TheMessageStaysSent_WithThePartialBounceRecorded_AndOnlyThatAddressSuppressed()
    {
        var bed = MailTestbed.Instance;
        using var factory = Factory();
        var admin = factory.Admin();
        var good = $"ok-{Guid.NewGuid():N}@{bed.Domain}";
        var bad = $"nobody-{Guid.NewGuid():N}@bounce.test";

        var id = await SubmitAsync(admin, new { to = new[] { good }, cc = new[] { bad }, subject = "Faktura", text = "Dzień dobry" });
        var message = await WaitForAsync(admin, $"/api/messages/{id}",
            m => m["history"]!.AsArray().Any(h => (string?)h!["reason"] is { } reason && reason.StartsWith("Bounced for", StringComparison.Ordinal)),
            "no partial bounce recorded");

        Assert.Equal("sent", (string?)message["status"]);
        var partial = message["history"]!.AsArray().Last()!;
        Assert.Equal("sent", (string?)partial["status"]);
        Assert.Contains("stays sent", (string?)partial["reason"]);
        var bounced = Assert.Single(partial["recipients"]!.AsArray())!;
        Assert.Equal((bad, false), ((string?)bounced["address"], (bool?)bounced["accepted"]));
        Assert.Equal("5.1.1", (string?)bounced["reply"]!["enhancedCode"]);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/suppressions/{bad}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/suppressions/{good}")).StatusCode);
    }

    [MailTestbedFact]
    public async Task OutOfOfficeReply_IsNotABounce_AndAnUnreadableMessageIsKept()
    {
        var bed = MailTestbed.Instance;
        using var factory = Factory();
        var admin = factory.Admin();
        var colleague = $"jan-{Guid.NewGuid():N}@{bed.Domain}";
        var id = await SubmitAsync(admin, new { to = new[] { colleague }, subject = "Faktura", text = "Dzień dobry" });
        await WaitForAsync(admin, $"/api/messages/{id}", m => (string?)m["status"] == "sent", "the message was not sent");

        var outOfOffice = new MimeMessage();
        outOfOffice.From.Add(MailboxAddress.Parse(colleague));
        outOfOffice.To.Add(MailboxAddress.Parse($"bounces+{id}@{bed.Domain}"));
        outOfOffice.Subject = "Automatyczna odpowiedź: Faktura";
        outOfOffice.Headers.Add("Auto-Submitted", "auto-replied");
        outOfOffice.Body = new TextPart("plain") { Text = "Jestem na urlopie. 550 5.1.1 is only words here." };
        await SendToBounceMailboxAsync(outOfOffice);

        var unreadableSubject = $"Pytanie {Guid.NewGuid():N}";
        var unreadable = new MimeMessage();
        unreadable.From.Add(MailboxAddress.Parse("someone@example.org"));
        unreadable.To.Add(MailboxAddress.Parse(bed.BouncesUserName));
        unreadable.Subject = unreadableSubject;
        unreadable.Body = new TextPart("plain") { Text = "Could you send the invoice again?" };
        await SendToBounceMailboxAsync(unreadable);

        var autoReplies = await WaitForAsync(admin, $"/api/bounces/inbound?messageId={id}", n => n["items"]!.AsArray().Count > 0, "no auto-reply kept");
        var autoReply = Assert.Single(autoReplies["items"]!.AsArray())!;
        Assert.Equal("autoReply", (string?)autoReply["kind"]);
        Assert.Equal("verp", (string?)autoReply["correlatedBy"]);
        var unparseable = await WaitForAsync(admin, "/api/bounces/inbound?kind=unparseable",
            n => n["items"]!.AsArray().Any(i => (string?)i!["subject"] == unreadableSubject), "the unreadable message was not kept");
        var keptId = (string)unparseable["items"]!.AsArray().First(i => (string?)i!["subject"] == unreadableSubject)!["id"]!;
        var raw = await MimeMessage.LoadAsync(await admin.GetStreamAsync($"/api/bounces/inbound/{keptId}/raw"));
        Assert.Equal(unreadableSubject, raw.Subject);
        Assert.Equal("Could you send the invoice again?", raw.TextBody?.Trim());

        var message = await (await admin.GetAsync($"/api/messages/{id}")).ReadJsonAsync();
        Assert.Equal("sent", (string?)message["status"]);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/suppressions/{colleague}")).StatusCode);
    }

    [MailTestbedFact]
    public async Task ReplyToRelay_SendsFromTheOrganisationsSystemAddress_WithReplyToTheUser_AndAVerpEnvelope()
    {
        var bed = MailTestbed.Instance;
        using var factory = Factory();
        var admin = factory.Admin();
        (await admin.PutJsonAsync("/api/settings/reply-to-relay", new { organisationSlug = "acme", eventsDomain = "events.example.test" })).EnsureSuccessStatusCode();
        var anna = await factory.NewUserAsync("anna", "anna.nowak@firma.example", displayName: "Anna Nowak");
        (await anna.PutJsonAsync("/api/users/anna/settings", new { senderMode = "replyToRelay" })).EnsureSuccessStatusCode();
        var to = $"klient-{Guid.NewGuid():N}@{bed.Domain}";

        var id = await SubmitAsync(anna, new { to = new[] { to }, subject = "Oferta", text = "Dzień dobry" });
        await WaitForAsync(anna, $"/api/messages/{id}", m => (string?)m["status"] is "sent" or "failed" or "held", "not sent");

        var received = (await bed.WaitForMessagesAsync(bed.CatchallUserName, m => m.To.Mailboxes.Any(a => a.Address == to), TimeSpan.FromSeconds(30))).Single();
        var from = received.From.Mailboxes.Single();
        Assert.Equal(("Anna Nowak", "acme@events.example.test"), (from.Name, from.Address));
        Assert.Equal("anna.nowak@firma.example", received.ReplyTo.Mailboxes.Single().Address);
        Assert.Equal($"<bounces+{id}@{bed.Domain}>", received.Headers[HeaderId.ReturnPath]);

        var invalid = await admin.PutJsonAsync("/api/settings/reply-to-relay", new { organisationSlug = "a b", eventsDomain = "events.example.test" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("organisationSlug", await invalid.Content.ReadAsStringAsync());
        Assert.Equal("acme@events.example.test", (string?)(await (await admin.GetAsync("/api/settings/reply-to-relay")).ReadJsonAsync())["fromAddress"]);
    }
}
