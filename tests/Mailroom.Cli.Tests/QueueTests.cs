using MimeKit;

namespace Mailroom.Cli.Tests;

/// <summary>send, queue list/show/retry/cancel through the server's global profile: the System sender without a relay captures mail as .eml.</summary>
[Collection(CliServerCollection.Name)]
public class QueueTests(CliServerFixture fixture)
{
    [Fact]
    public async Task Send_BodyFromStdin_WithAttachment_Wait_EndsCaptured_AndShowListsIt()
    {
        var attachment = Path.Combine(Path.GetTempPath(), $"faktura-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(attachment, [37, 80, 68, 70, 45, 49]);
        var subject = $"Faktura {Guid.NewGuid():N}";
        try
        {
            var sent = await fixture.RunAsAsync(CliServerFixture.AdminKey, "W załączniku faktura.\n",
                "send", "--to", "klient@example.test", "--subject", subject, "--attach", attachment, "--wait", "--json");

            Assert.True(sent.ExitCode == 0, sent.ToString());
            Assert.Equal("captured", (string?)sent.Json["status"]);
            var id = (string)sent.Json["id"]!;
            var eml = await MimeMessage.LoadAsync(Path.Combine(fixture.DataDirectory, "captured-mail", $"{id}.eml"));
            Assert.Equal(subject, eml.Subject);
            Assert.Contains("W załączniku faktura.", eml.TextBody);
            Assert.Equal(Path.GetFileName(attachment), eml.Attachments.OfType<MimePart>().Single().FileName);

            var shown = await fixture.RunAsync("queue", "show", id, "--json");
            Assert.Equal(Path.GetFileName(attachment), (string?)shown.Json["attachments"]![0]!["fileName"]);
            Assert.Equal("application/pdf", (string?)shown.Json["attachments"]![0]!["contentType"]);
            Assert.NotEmpty(shown.Json["history"]!.AsArray());

            var list = await fixture.RunAsync("queue", "list", "--status", "captured", "--json");
            Assert.Contains(list.Json["items"]!.AsArray(), m => (string?)m!["id"] == id);
            var text = await fixture.RunAsync("queue", "list", "--limit", "500");
            Assert.Contains(id, text.Out);

            // Already delivered (captured): cancelling is a conflict, exit code 7.
            var cancel = await fixture.RunAsync("queue", "cancel", id);
            Assert.Equal(7, cancel.ExitCode);
        }
        finally
        {
            File.Delete(attachment);
        }
    }

    [Fact]
    public async Task Cancel_ThenRetry_AMessageDueLater()
    {
        var sent = await fixture.RunAsAsync(CliServerFixture.AdminKey, "later",
            "send", "--to", "klient@example.test", "--subject", "Later", "--send-after", DateTimeOffset.UtcNow.AddDays(1).ToString("O"), "--json");
        Assert.True(sent.ExitCode == 0, sent.ToString());
        var id = (string)sent.Json["id"]!;

        var cancelled = await fixture.RunAsync("queue", "cancel", id, "--reason", "customer asked", "--json");
        Assert.True(cancelled.ExitCode == 0, cancelled.ToString());
        Assert.Equal("cancelled", (string?)cancelled.Json["status"]);

        var retried = await fixture.RunAsync("queue", "retry", id, "--json");
        Assert.True(retried.ExitCode == 0, retried.ToString());
        Assert.NotEqual("cancelled", (string?)retried.Json["status"]);
    }

    [Fact]
    public async Task Show_UnknownId_IsExit5_BadStatus_IsExit2_NoBody_IsExit2()
    {
        var missing = await fixture.RunAsync("queue", "show", "no-such-message", "--json");
        Assert.Equal(5, missing.ExitCode);
        Assert.Equal("message.notFound", (string?)missing.Json["error"]!["code"]);

        var status = await fixture.RunAsync("queue", "list", "--status", "lost");
        Assert.Equal(2, status.ExitCode);
        Assert.Contains("'lost'", status.Error);

        var noBody = await fixture.RunAsAsync(CliServerFixture.AdminKey, "", "send", "--to", "a@example.test", "--subject", "x");
        Assert.Equal(2, noBody.ExitCode);
        Assert.Contains("--body-file", noBody.Error);
    }

    [Fact]
    public async Task Send_HeaderInjectionInTheSubject_IsRefused_Exit3()
    {
        var result = await fixture.RunAsAsync(CliServerFixture.AdminKey, "body", "send", "--to", "a@example.test", "--subject", "Hi\r\nBcc: victim@example.test", "--json");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains(result.Json["error"]!["issues"]!.AsArray(), i => (string?)i!["field"] == "subject");
    }
}
