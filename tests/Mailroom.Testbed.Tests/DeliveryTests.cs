using MailKit.Net.Smtp;
using MailKit.Security;
using Mailroom.Testing;
using MimeKit;

namespace Mailroom.Testbed.Tests;

/// <summary>What happens to mail after the test bed accepted it: Maildir + IMAP, rejects, real DSNs.</summary>
public sealed class DeliveryTests
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(30);

    private static MailTestbed Bed => MailTestbed.Instance;

    [MailTestbedFact]
    public async Task SentMessage_ReadBackOverImaps_KeepsFromDisplayNameReplyToAndAttachment()
    {
        var attachmentBytes = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7 % 256)).ToArray();
        var sent = new MimeMessage();
        sent.From.Add(new MailboxAddress("Mailroom Prüfstand", Bed.UserName));
        sent.ReplyTo.Add(new MailboxAddress("Help Desk", $"helpdesk@{Bed.Domain}"));
        sent.To.Add(new MailboxAddress("Test User", Bed.UserName));
        sent.Subject = $"read back {TestMessages.NewTag()}";
        var body = new BodyBuilder { TextBody = "Grüße from the test bed" };
        body.Attachments.Add("report.bin", attachmentBytes, new ContentType("application", "octet-stream"));
        sent.Body = body.ToMessageBody();

        await SendAuthenticatedAsync(sent);
        var received = Assert.Single(
            await Bed.WaitForMessagesAsync(Bed.UserName, m => m.Subject == sent.Subject, DeliveryTimeout));

        Assert.Equal(sent.MessageId, received.MessageId);
        var from = Assert.Single(received.From.Mailboxes);
        Assert.Equal("Mailroom Prüfstand", from.Name);
        Assert.Equal(Bed.UserName, from.Address);
        var replyTo = Assert.Single(received.ReplyTo.Mailboxes);
        Assert.Equal("Help Desk", replyTo.Name);
        Assert.Equal($"helpdesk@{Bed.Domain}", replyTo.Address);
        Assert.Equal("Grüße from the test bed", received.TextBody?.Trim());
        var attachment = Assert.IsType<MimePart>(Assert.Single(received.Attachments));
        Assert.Equal("report.bin", attachment.FileName);
        Assert.NotNull(attachment.Content);
        using var content = new MemoryStream();
        await attachment.Content.DecodeToAsync(content);
        Assert.Equal(attachmentBytes, content.ToArray());
    }

    [MailTestbedFact]
    public async Task PlainPort_AcceptsUnauthenticatedMail_AndCatchallGetsACopy()
    {
        var sent = TestMessages.Simple(Bed, "catchall copy", to: $"someone-{TestMessages.NewTag()}@example.org");
        using (var smtp = Bed.CreateSmtpClient())
        {
            await smtp.ConnectAsync(Bed.Host, Bed.PlainPort, SecureSocketOptions.None);
            Assert.False(smtp.Capabilities.HasFlag(SmtpCapabilities.StartTLS));
            await smtp.SendAsync(sent);
            await smtp.DisconnectAsync(true);
        }

        var copy = Assert.Single(
            await Bed.WaitForMessagesAsync(Bed.CatchallUserName, m => m.MessageId == sent.MessageId, DeliveryTimeout));

        Assert.Equal(sent.Subject, copy.Subject);
    }

    [MailTestbedFact]
    public async Task ImapPort_StartTlsWithPinnedCertificate_LogsIn()
    {
        using var imap = Bed.CreateImapClient();

        await imap.ConnectAsync(Bed.Host, Bed.ImapPort, SecureSocketOptions.StartTls);
        Assert.True(imap.IsSecure);
        await imap.AuthenticateAsync(Bed.CatchallUserName, Bed.Password);
        Assert.True(imap.IsAuthenticated);
        await imap.DisconnectAsync(true);
    }

    [MailTestbedFact]
    public async Task ImapWrongPassword_ThrowsAuthenticationException()
    {
        using var imap = Bed.CreateImapClient();
        await imap.ConnectAsync(Bed.Host, Bed.ImapsPort, SecureSocketOptions.SslOnConnect);

        await Assert.ThrowsAsync<AuthenticationException>(() => imap.AuthenticateAsync(Bed.UserName, "not-" + Bed.Password));
        Assert.False(imap.IsAuthenticated);
    }

    [MailTestbedFact]
    public async Task RejectTestRecipient_IsRefusedAtRcptWith550_5_1_1()
    {
        var recipient = $"nobody-{TestMessages.NewTag()}@reject.test";
        using var smtp = await ConnectAuthenticatedAsync();

        var error = await Assert.ThrowsAsync<SmtpCommandException>(
            () => smtp.SendAsync(TestMessages.Simple(Bed, "reject", to: recipient)));

        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, error.ErrorCode);
        Assert.Equal(550, (int)error.StatusCode);
        Assert.Contains("5.1.1", error.Message);
        Assert.Equal(recipient, error.Mailbox?.Address);
    }

    [MailTestbedFact]
    public async Task BounceTestRecipient_ProducesRealDsnInBouncesMailbox()
    {
        var recipient = $"ghost-{TestMessages.NewTag()}@bounce.test";
        var sent = TestMessages.Simple(Bed, "bounce", to: recipient);
        sent.From.Clear();
        sent.From.Add(MailboxAddress.Parse(Bed.BouncesUserName)); // the envelope sender gets the DSN

        using (var smtp = await ConnectAuthenticatedAsync())
        {
            await smtp.SendAsync(sent); // accepted now, fails later
            await smtp.DisconnectAsync(true);
        }
        var dsn = Assert.Single(await Bed.WaitForMessagesAsync(
            Bed.BouncesUserName, m => FindRecipientStatus(m, recipient) is not null, DeliveryTimeout));

        var report = Assert.IsType<MultipartReport>(dsn.Body);
        Assert.Equal("delivery-status", report.ReportType);
        var status = FindRecipientStatus(dsn, recipient)!;
        Assert.Equal("5.1.1", status["Status"]);
        Assert.Equal("failed", status["Action"]);
        Assert.Equal($"rfc822; {recipient}", status["Final-Recipient"]);
    }

    private static HeaderList? FindRecipientStatus(MimeMessage message, string recipient) =>
        message.BodyParts.OfType<MessageDeliveryStatus>()
            .SelectMany(report => report.StatusGroups.Skip(1)) // group 0 is per-message, the rest per-recipient
            .FirstOrDefault(group => group["Final-Recipient"]?.Contains(recipient, StringComparison.OrdinalIgnoreCase) == true);

    private static async Task<SmtpClient> ConnectAuthenticatedAsync()
    {
        var smtp = Bed.CreateSmtpClient();
        await smtp.ConnectAsync(Bed.Host, Bed.SubmissionPort, SecureSocketOptions.StartTls);
        await smtp.AuthenticateAsync(Bed.UserName, Bed.Password);
        return smtp;
    }

    private static async Task SendAuthenticatedAsync(MimeMessage message)
    {
        using var smtp = await ConnectAuthenticatedAsync();
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);
    }
}
