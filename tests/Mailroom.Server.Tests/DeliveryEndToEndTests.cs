using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mailroom.Testing;
using Microsoft.AspNetCore.Hosting;
using MimeKit;

namespace Mailroom.Server.Tests;

/// <summary>The whole path — API, durable queue, worker, delivery — against real and scripted SMTP servers.</summary>
public class DeliveryEndToEndTests
{
    private static MailroomServerFactory Factory() => new(withBootstrapKey: true, configure: b =>
    {
        b.UseSetting("Mailroom:Delivery:PollInterval", "00:00:00.100");
        b.UseSetting("Mailroom:Delivery:SmtpTimeout", "00:00:05");
        b.UseSetting("Mailroom:Delivery:RetryDelays", "00:10:00, 00:20:00");
    });

    private static Task<string> SubmitAsync(HttpClient client, string url, object body) => QueueDriving.PostMessageAsync(client, body, url);

    [Fact]
    public async Task FreshInstall_CapturesTheTestMessageAsAnEmlFile_MarkedNotDelivered()
    {
        using var factory = Factory();
        var admin = factory.Admin();

        var id = await SubmitAsync(admin, "/api/settings/global/test-message", new { to = "odbiorca@example.com" });
        var message = await QueueDriving.WaitForStatusAsync(admin, id, "captured");

        Assert.Contains("not delivered", (string?)message["statusReason"]);
        var file = Path.Combine(factory.DataDirectory, "captured-mail", $"{id}.eml");
        var captured = await MimeMessage.LoadAsync(file);
        Assert.Equal("odbiorca@example.com", captured.To.Mailboxes.Single().Address);
    }

    [MailTestbedFact]
    public async Task UserTestMessage_ThroughTheRealServer_ArrivesWithSenderSignatureAttachmentAndBcc()
    {
        var bed = MailTestbed.Instance;
        using var factory = Factory();
        var admin = factory.Admin();
        await QueueDriving.ConfigureTestbedAsGlobalAsync(admin);
        var anna = await factory.NewUserAsync("anna", "anna.nowak@example.test", displayName: "Anna Nowak");
        var archive = $"archive-{Guid.NewGuid():N}@example.test";
        (await anna.PutJsonAsync("/api/users/anna/settings", new { replyTo = "biuro@example.test", bcc = archive, signature = "Anna Nowak\nDział księgowości" })).EnsureSuccessStatusCode();
        var subject = $"Test {Guid.NewGuid():N}";

        var id = await SubmitAsync(anna, "/api/users/anna/test-message", new
        {
            to = bed.UserName, subject, body = "Dzień dobry",
            attachment = new { fileName = "faktura.pdf", contentType = "application/pdf", contentBase64 = Convert.ToBase64String([37, 80, 68, 70, 1, 2]) },
        });
        var message = await QueueDriving.WaitForStatusAsync(anna, id, "sent", "failed", "held", "deferred");

        Assert.Equal("sent", (string?)message["status"]);
        var sent = message["history"]!.AsArray().Last()!;
        Assert.Equal(250, (int?)sent["reply"]!["code"]);
        var received = (await bed.WaitForMessagesAsync(bed.UserName, m => m.Subject == subject, TimeSpan.FromSeconds(30))).Single();
        var from = received.From.Mailboxes.Single();
        Assert.Equal(("Anna Nowak", "anna.nowak@example.test"), (from.Name, from.Address));
        Assert.Equal("biuro@example.test", received.ReplyTo.Mailboxes.Single().Address);
        Assert.Contains("Dział księgowości", received.TextBody);
        Assert.Equal([37, 80, 68, 70, 1, 2], ((MimePart)received.Attachments.Single()).Content!.Open().ReadAllBytes());
        Assert.Empty(received.Bcc);
        var archiveDirectory = Path.Combine(bed.MailDirectory, "example.test", archive.Split('@')[0]);
        Assert.True(Directory.Exists(archiveDirectory), "the profile's BCC address received its copy");
    }

    [MailTestbedFact]
    public async Task BadCredentials_HoldTheSendersMail_AndFixingTheSettingsReleasesIt()
    {
        var bed = MailTestbed.Instance;
        using var factory = Factory();
        var admin = factory.Admin();
        (await admin.PutJsonAsync("/api/settings/port-policy", new { additionalPorts = new[] { bed.SmtpsPort } })).EnsureSuccessStatusCode();
        var profile = new
        {
            host = bed.Host, port = bed.SmtpsPort, encryption = "sslTls", authentication = "password",
            login = bed.UserName, password = "wrong-password", certificateSha256 = bed.CertificateSha256,
        };
        (await admin.PutJsonAsync("/api/settings/global", profile)).EnsureSuccessStatusCode();
        var subject = $"Held {Guid.NewGuid():N}";

        var id = await SubmitAsync(admin, "/api/messages", new { to = new[] { bed.UserName }, subject, text = "x" });
        var held = await QueueDriving.WaitForStatusAsync(admin, id, "held", "sent", "failed");

        Assert.Equal("held", (string?)held["status"]);
        Assert.True(held["history"]!.AsArray().Last()!["reply"] is not null, held.ToJsonString());
        Assert.Equal(535, (int?)held["history"]!.AsArray().Last()!["reply"]!["code"]);
        Assert.Equal(1, (int?)held["attempts"]);

        (await admin.PutJsonAsync("/api/settings/global", profile with { password = bed.Password })).EnsureSuccessStatusCode();

        var sent = await QueueDriving.WaitForStatusAsync(admin, id, "sent", "failed");
        Assert.Equal("sent", (string?)sent["status"]);
        Assert.Contains(sent["history"]!.AsArray(), h => ((string?)h!["reason"])?.Contains("Sender settings changed", StringComparison.Ordinal) == true);
        await bed.WaitForMessagesAsync(bed.UserName, m => m.Subject == subject, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task TemporaryRefusal_DefersWithTheServersReply_AndPermanentRefusalFailsAtOnce()
    {
        var script = new SmtpScript();
        script.RecipientReplies["later@example.test"] = "451 4.7.1 Greylisted, try again later";
        script.RecipientReplies["nobody@example.test"] = "550 5.1.1 No such user";
        await using var server = new ScriptedSmtpServer(script);
        using var factory = Factory();
        var admin = factory.Admin();
        (await admin.PutJsonAsync("/api/settings/port-policy", new { additionalPorts = new[] { server.Port } })).EnsureSuccessStatusCode();
        (await admin.PutJsonAsync("/api/settings/global", new { host = "127.0.0.1", port = server.Port, encryption = "none", fromAddress = "erp@example.test" })).EnsureSuccessStatusCode();

        var deferredId = await SubmitAsync(admin, "/api/messages", new { to = new[] { "later@example.test" }, subject = "a", text = "x" });
        var failedId = await SubmitAsync(admin, "/api/messages", new { to = new[] { "nobody@example.test" }, subject = "b", text = "x" });
        var deferred = await QueueDriving.WaitForStatusAsync(admin, deferredId, "deferred", "failed", "sent");
        var failed = await QueueDriving.WaitForStatusAsync(admin, failedId, "failed", "deferred", "sent");

        Assert.Equal("deferred", (string?)deferred["status"]);
        var deferral = deferred["history"]!.AsArray().Last()!;
        Assert.Equal(451, (int?)deferral["reply"]!["code"]);
        Assert.Equal("4.7.1", (string?)deferral["reply"]!["enhancedCode"]);
        Assert.True(DateTimeOffset.Parse((string)deferred["nextAttemptAt"]!) > DateTimeOffset.UtcNow.AddMinutes(5), "the next attempt waits (about 10 minutes here)");
        Assert.Equal("failed", (string?)failed["status"]);
        var failure = failed["history"]!.AsArray().Last()!;
        Assert.Equal("5.1.1", (string?)failure["reply"]!["enhancedCode"]);
        Assert.Contains("No such user", (string?)failed["statusReason"]);
    }
}

internal static class StreamExtensions
{
    public static byte[] ReadAllBytes(this Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
