using Mailroom.Testing;
using MimeKit;

namespace Mailroom.Testbed.Tests;

internal static class TestMessages
{
    /// <summary>A short unique token, so each test finds its own messages in shared mailboxes.</summary>
    public static string NewTag() => Guid.NewGuid().ToString("N")[..12];

    public static MimeMessage Simple(MailTestbed bed, string purpose, string? to = null)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(bed.UserName));
        message.To.Add(MailboxAddress.Parse(to ?? $"rcpt-{NewTag()}@example.com"));
        message.Subject = $"{purpose} {NewTag()}";
        message.Body = new TextPart("plain") { Text = $"testbed check: {purpose}" };
        return message;
    }
}
