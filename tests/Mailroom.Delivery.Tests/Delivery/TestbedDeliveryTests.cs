using System.Text.RegularExpressions;
using Mailroom.Core.Delivery;
using Mailroom.Core.Mail;
using Mailroom.Core.Settings;
using Mailroom.Testing;
using MimeKit;
using static Mailroom.Delivery.Tests.Delivery.DeliveryTestData;

namespace Mailroom.Delivery.Tests.Delivery;

/// <summary>Delivery through the real Postfix of the test bed, read back over IMAP or from its Maildirs.</summary>
public sealed partial class TestbedDeliveryTests : IAsyncLifetime
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(30);

    private SmtpDeliveryAgent _agent = null!;

    private static MailTestbed Bed => MailTestbed.Instance;

    public Task InitializeAsync()
    {
        _agent = Agent();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    public enum BedPort
    {
        Plain,
        Smtps,
        Submission,
    }

    private static int PortOf(BedPort port) => port switch
    {
        BedPort.Plain => Bed.PlainPort,
        BedPort.Smtps => Bed.SmtpsPort,
        _ => Bed.SubmissionPort,
    };

    /// <summary>The test bed's server as a sender profile: pinned certificate, the test user's password when asked.</summary>
    private static EffectiveSenderSettings BedSender(BedPort port, EncryptionMode encryption, bool authenticate)
    {
        var sender = OwnSmtp(Bed.Host, PortOf(port), encryption) with
        {
            FromAddress = Bed.UserName,
            CertificateSha256 = Bed.CertificateSha256,
        };
        return authenticate ? sender.WithPassword(Bed.UserName, Bed.Password) : sender;
    }

    private static MessageDraft NewDraft(string label) => new()
    {
        To = [Bed.UserName],
        Subject = $"{label} {Guid.NewGuid():N}",
        TextBody = "Delivered by Mailroom.",
    };

    [MailTestbedTheory]
    [InlineData(BedPort.Smtps, EncryptionMode.SslTls, true, "ESMTPSA")]
    [InlineData(BedPort.Submission, EncryptionMode.StartTls, true, "ESMTPSA")]
    [InlineData(BedPort.Plain, EncryptionMode.None, false, "ESMTP")]
    [InlineData(BedPort.Plain, EncryptionMode.None, true, "ESMTPA")]
    [InlineData(BedPort.Plain, EncryptionMode.Auto, false, "ESMTP")]
    [InlineData(BedPort.Submission, EncryptionMode.Auto, true, "ESMTPSA")]
    public async Task Message_IsDelivered_WithTheEncryptionTheProfileAsks(BedPort port, EncryptionMode encryption, bool authenticate, string receivedWith)
    {
        var draft = NewDraft($"{encryption} on {port}");

        var outcome = await _agent.DeliverAsync(Queued(draft), BedSender(port, encryption, authenticate));

        Assert.True(DeliveryOutcomeKind.Delivered == outcome.Kind, outcome.Reason);
        var received = Assert.Single(await Bed.WaitForMessagesAsync(Bed.UserName, message => message.Subject == draft.Subject, ArrivalTimeout));
        // Postfix names the protocol in its Received header: ESMTPS = TLS, …A = authenticated (RFC 3848).
        Assert.Equal(receivedWith, ReceivedProtocol(received));
    }

    [MailTestbedFact]
    public async Task ReadBack_HasFromNameReplyToSubjectSignatureAndAttachment_AndBccOnlyInTheEnvelope()
    {
        var attachment = Enumerable.Range(0, 20_000).Select(index => (byte)(index * 31 % 256)).ToArray();
        var archive = $"archive-{Guid.NewGuid():N}"[..20];
        var draft = NewDraft("read back") with
        {
            Subject = $"Zażółć gęślą jaźń {Guid.NewGuid():N}",
            HtmlBody = "<p>Delivered by <b>Mailroom</b>.</p>",
            Attachments = [new MessageAttachment("raport.bin", "application/octet-stream", attachment)],
        };
        var sender = BedSender(BedPort.Smtps, EncryptionMode.SslTls, authenticate: true) with
        {
            DisplayName = "Dział Sprzedaży",
            ReplyTo = $"office@{Bed.Domain}",
            Signature = "Anna Kowalska\nDział Sprzedaży",
            Bcc = $"{archive}@{Bed.Domain}",
        };
        var queued = Queued(draft);

        var outcome = await _agent.DeliverAsync(queued, sender);

        Assert.True(DeliveryOutcomeKind.Delivered == outcome.Kind, outcome.Reason);
        Assert.Equal([Bed.UserName, $"{archive}@{Bed.Domain}"], outcome.RecipientOutcomes.Select(recipient => recipient.Address));
        var received = Assert.Single(await Bed.WaitForMessagesAsync(Bed.UserName, message => message.Subject == draft.Subject, ArrivalTimeout));
        var from = Assert.Single(received.From.Mailboxes);
        Assert.Equal(("Dział Sprzedaży", Bed.UserName), (from.Name, from.Address));
        Assert.Equal($"office@{Bed.Domain}", Assert.Single(received.ReplyTo.Mailboxes).Address);
        Assert.Equal(MimeMessageBuilder.MessageIdFor(queued.Id, Bed.UserName), received.MessageId);
        Assert.EndsWith("-- \nAnna Kowalska\nDział Sprzedaży", received.TextBody!.Replace("\r\n", "\n").TrimEnd('\n'));
        Assert.Contains("mailroom-signature", received.HtmlBody);
        var part = Assert.IsType<MimePart>(Assert.Single(received.Attachments));
        Assert.Equal("raport.bin", part.FileName);
        using (var bytes = new MemoryStream())
        {
            await part.Content!.DecodeToAsync(bytes);
            Assert.Equal(attachment, bytes.ToArray());
        }
        Assert.Empty(received.Bcc);
        Assert.DoesNotContain(received.Headers, header => header.Value.Contains(archive, StringComparison.OrdinalIgnoreCase));

        // The profile's BCC got its own copy, though no header names it.
        var copy = await WaitForMaildirMessageAsync(archive, draft.Subject);
        Assert.Equal(received.MessageId, copy.MessageId);
    }

    [MailTestbedFact]
    public async Task RejectedRecipientBesideAGoodOne_IsDelivered_WithPerRecipientOutcomes()
    {
        var draft = NewDraft("partial") with { To = [Bed.UserName, "nobody@reject.test"] };

        var outcome = await _agent.DeliverAsync(Queued(draft), BedSender(BedPort.Plain, EncryptionMode.None, authenticate: false));

        Assert.Equal(DeliveryOutcomeKind.Delivered, outcome.Kind);
        var good = outcome.RecipientOutcomes.Single(recipient => recipient.Address == Bed.UserName);
        Assert.True(good.Accepted);
        Assert.Equal(250, good.Reply?.Code);
        var refused = outcome.RecipientOutcomes.Single(recipient => recipient.Address == "nobody@reject.test");
        Assert.False(refused.Accepted);
        Assert.Equal(550, refused.Reply?.Code);
        Assert.Equal("5.1.1", refused.Reply?.EnhancedCode);
        Assert.Contains("nobody@reject.test", outcome.Reason);
        Assert.Single(await Bed.WaitForMessagesAsync(Bed.UserName, message => message.Subject == draft.Subject, ArrivalTimeout));
    }

    [MailTestbedFact]
    public async Task OnlyRejectedRecipients_ArePermanent()
    {
        var outcome = await _agent.DeliverAsync(Queued("a@reject.test", "b@reject.test"), BedSender(BedPort.Plain, EncryptionMode.None, false));

        Assert.Equal(DeliveryOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal("5.1.1", outcome.Reply?.EnhancedCode);
        Assert.All(outcome.RecipientOutcomes, recipient => Assert.Equal(550, recipient.Reply?.Code));
    }

    [MailTestbedFact]
    public async Task WrongPassword_IsASenderProblemWith535()
    {
        var sender = BedSender(BedPort.Submission, EncryptionMode.StartTls, false).WithPassword(Bed.UserName, "not-the-password");

        var outcome = await _agent.DeliverAsync(Queued(Bed.UserName), sender);

        Assert.Equal(DeliveryOutcomeKind.SenderProblem, outcome.Kind);
        Assert.Equal(535, outcome.Reply?.Code);
        Assert.Contains("refused the login or password", outcome.Reason);
    }

    [MailTestbedFact]
    public async Task SelfSignedCertificateWithoutPin_IsASenderProblem()
    {
        var sender = BedSender(BedPort.Smtps, EncryptionMode.SslTls, true) with { CertificateSha256 = null };

        var outcome = await _agent.DeliverAsync(Queued(Bed.UserName), sender);

        Assert.Equal(DeliveryOutcomeKind.SenderProblem, outcome.Kind);
        Assert.Contains("certificate is not trusted", outcome.Reason);
    }

    [MailTestbedFact]
    public async Task WrongCertificatePin_IsASenderProblem()
    {
        var sender = BedSender(BedPort.Submission, EncryptionMode.StartTls, true) with { CertificateSha256 = new string('a', 64) };

        var outcome = await _agent.DeliverAsync(Queued(Bed.UserName), sender);

        Assert.Equal(DeliveryOutcomeKind.SenderProblem, outcome.Kind);
        Assert.Contains("certificate is not trusted", outcome.Reason);
    }

    [MailTestbedTheory]
    [InlineData(EncryptionMode.Auto)]
    [InlineData(EncryptionMode.StartTls)]
    public async Task PasswordOnAServerWithoutTls_IsRefusedUnlessEncryptionIsNone(EncryptionMode encryption)
    {
        var draft = NewDraft("must not be sent");

        var outcome = await _agent.DeliverAsync(Queued(draft), BedSender(BedPort.Plain, encryption, authenticate: true));

        Assert.Equal(DeliveryOutcomeKind.SenderProblem, outcome.Kind);
        Assert.Empty(outcome.RecipientOutcomes); // it never got as far as MAIL FROM
        Assert.Contains(Bed.Host, outcome.Reason);
    }

    [MailTestbedFact]
    public async Task ImplicitTlsAgainstTheStartTlsPort_IsReportedInWordsNamingTheServer()
    {
        var outcome = await _agent.DeliverAsync(Queued(Bed.UserName), BedSender(BedPort.Submission, EncryptionMode.SslTls, true));

        // The server greets in clear text where a TLS handshake was expected: MailKit reports a failed handshake.
        Assert.Equal(DeliveryOutcomeKind.SenderProblem, outcome.Kind);
        Assert.Contains($"TLS connection to {Bed.Host}:{Bed.SubmissionPort} failed", outcome.Reason);
    }

    [MailTestbedFact]
    public async Task AutomaticOnAnImplicitTlsPortOtherThan465_TimesOutAsTransient()
    {
        // Automatic means implicit TLS only on 465; the bed's SMTPS port has another number, so the
        // client waits for a greeting the TLS server never sends in clear.
        var outcome = await _agent.DeliverAsync(Queued(Bed.UserName), BedSender(BedPort.Smtps, EncryptionMode.Auto, true));

        Assert.Equal(DeliveryOutcomeKind.Transient, outcome.Kind);
        Assert.Contains($"{Bed.Host}:{Bed.SmtpsPort}", outcome.Reason);
    }

    [MailTestbedFact]
    public async Task SecondMessage_ReusesTheAuthenticatedConnection()
    {
        var sender = BedSender(BedPort.Submission, EncryptionMode.StartTls, true);
        var first = NewDraft("reuse 1");
        var second = NewDraft("reuse 2");

        Assert.Equal(DeliveryOutcomeKind.Delivered, (await _agent.DeliverAsync(Queued(first), sender)).Kind);
        Assert.Equal(DeliveryOutcomeKind.Delivered, (await _agent.DeliverAsync(Queued(second), sender)).Kind);

        Assert.Equal(1, _agent.OpenConnectionCount);
        var both = await Bed.WaitForMessagesAsync(
            Bed.UserName, message => message.Subject == first.Subject || message.Subject == second.Subject, ArrivalTimeout, minimumCount: 2);
        // That no second connection was opened is counted on the scripted server; here both arrive over the kept one.
        Assert.Equal(2, both.Count);
    }

    private static string? ReceivedProtocol(MimeMessage message) =>
        message.Headers.Where(header => header.Id == HeaderId.Received && header.Value.Contains("(Postfix)", StringComparison.Ordinal))
            .Select(header => ReceivedWith().Match(header.Value))
            .Where(match => match.Success)
            .Select(match => match.Groups[1].Value)
            .FirstOrDefault();

    private static async Task<MimeMessage> WaitForMaildirMessageAsync(string localPart, string subject)
    {
        var maildir = Path.Combine(Bed.MailDirectory, Bed.Domain, localPart);
        var deadline = DateTime.UtcNow + ArrivalTimeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var folder in new[] { "new", "cur" })
            {
                var directory = Path.Combine(maildir, folder);
                if (!Directory.Exists(directory)) continue;
                foreach (var file in Directory.GetFiles(directory))
                {
                    var message = await MimeMessage.LoadAsync(file);
                    if (message.Subject == subject) return message;
                }
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"No message \"{subject}\" in {maildir} after {ArrivalTimeout.TotalSeconds} s");
    }

    [GeneratedRegex(@"\bwith (E?SMTP[A-Z]*)\b")]
    private static partial Regex ReceivedWith();
}
