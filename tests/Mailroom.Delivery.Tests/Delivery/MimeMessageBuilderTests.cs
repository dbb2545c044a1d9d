using System.Text;
using Mailroom.Core.Delivery;
using Mailroom.Core.Mail;
using Mailroom.Core.Settings;
using MimeKit;
using static Mailroom.Delivery.Tests.Delivery.DeliveryTestData;

namespace Mailroom.Delivery.Tests.Delivery;

public class MimeMessageBuilderTests
{
    private static readonly EffectiveSenderSettings Sender = OwnSmtp("smtp.example.test", 587) with
    {
        FromAddress = "anna@example.test",
        DisplayName = "Anna Kowalska",
        ReplyTo = "office@example.test",
        Bcc = "archive@example.test; Audit@Example.test",
        Signature = "Anna Kowalska\nSales <& Co>",
    };

    private static readonly MessageDraft Draft = new()
    {
        To = ["jan@example.test"],
        Cc = ["ewa@example.test"],
        Bcc = ["hidden@example.test", "AUDIT@example.test"],
        Subject = "Faktura 12/2026 — zażółć",
        TextBody = "Dzień dobry,\nw załączniku faktura.\n",
        HtmlBody = "<html><body><p>Dzień dobry</p></body></html>",
        Attachments = [new MessageAttachment("faktura.pdf", "application/pdf", [0x25, 0x50, 0x44, 0x46, 0x00, 0xFF])],
    };

    [Fact]
    public void Headers_CarryFromWithDisplayName_ReplyTo_ToAndCc_ButNoBcc()
    {
        var built = MimeMessageBuilder.Build(Queued(Draft), Sender).Message;

        var from = Assert.IsType<MailboxAddress>(Assert.Single(built.From));
        Assert.Equal(("Anna Kowalska", "anna@example.test"), (from.Name, from.Address));
        Assert.Equal("office@example.test", Assert.IsType<MailboxAddress>(Assert.Single(built.ReplyTo)).Address);
        Assert.Equal(["jan@example.test"], built.To.Mailboxes.Select(mailbox => mailbox.Address));
        Assert.Equal(["ewa@example.test"], built.Cc.Mailboxes.Select(mailbox => mailbox.Address));
        Assert.Empty(built.Bcc);
        var serialized = Serialize(built);
        Assert.DoesNotContain("hidden@example.test", serialized);
        Assert.DoesNotContain("archive@example.test", serialized);
        Assert.Equal("Faktura 12/2026 — zażółć", built.Subject);
    }

    [Fact]
    public void EnvelopeRecipients_AreToCcBccAndProfileBcc_EachOnceIgnoringCase()
    {
        var envelope = MimeMessageBuilder.Build(Queued(Draft), Sender);

        Assert.Equal(
            ["jan@example.test", "ewa@example.test", "hidden@example.test", "AUDIT@example.test", "archive@example.test"],
            envelope.EnvelopeRecipients.Select(mailbox => mailbox.Address));
        Assert.Equal("anna@example.test", envelope.EnvelopeSender.Address);
    }

    [Fact]
    public void Signature_FollowsTheTextAfterTheDashDashLine_AndIsEscapedInHtml()
    {
        var built = MimeMessageBuilder.Build(Queued(Draft), Sender).Message;

        Assert.EndsWith("w załączniku faktura.\n\n-- \nAnna Kowalska\nSales <& Co>", built.TextBody!.Replace("\r\n", "\n"));
        Assert.Contains("<div class=\"mailroom-signature\">-- <br>Anna Kowalska<br>Sales &lt;&amp; Co&gt;</div></body>", built.HtmlBody);
    }

    [Fact]
    public void NoSignature_LeavesTheBodiesAsWritten()
    {
        var built = MimeMessageBuilder.Build(Queued(Draft), Sender with { Signature = null }).Message;

        Assert.Equal(Draft.TextBody, built.TextBody!.Replace("\r\n", "\n"));
        Assert.DoesNotContain("mailroom-signature", built.HtmlBody);
    }

    [Fact]
    public void TextAndHtml_AreAlternatives_AndTheAttachmentKeepsItsBytes()
    {
        var built = MimeMessageBuilder.Build(Queued(Draft), Sender).Message;

        var mixed = Assert.IsType<Multipart>(built.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(part => part.ContentType.MimeType));
        var attachment = Assert.IsType<MimePart>(Assert.Single(built.Attachments));
        Assert.Equal("faktura.pdf", attachment.FileName);
        Assert.Equal("application/pdf", attachment.ContentType.MimeType);
        using var bytes = new MemoryStream();
        attachment.Content!.DecodeTo(bytes);
        Assert.Equal(Draft.Attachments[0].Content, bytes.ToArray());
    }

    [Fact]
    public void MessageIdAndDate_AreTheSameOnEveryAttempt_AndUseTheFromDomain()
    {
        var queued = Queued(Draft, id: "01J9Z-queue-id");

        var first = MimeMessageBuilder.Build(queued, Sender).Message;
        var retry = MimeMessageBuilder.Build(queued with { Attempts = 3 }, Sender).Message;

        Assert.Equal("01J9Z-queue-id.mailroom@example.test", first.MessageId);
        Assert.Equal(first.MessageId, retry.MessageId);
        Assert.Equal(queued.CreatedAt.ToUnixTimeSeconds(), first.Date.ToUnixTimeSeconds());
        Assert.Equal(first.Date, retry.Date);
    }

    [Fact]
    public void InternationalFromDomain_IsAccepted_AndTheMessageIdUsesItsAsciiForm()
    {
        var built = MimeMessageBuilder.Build(Queued(Draft, id: "m1"), Sender with { FromAddress = "biuro@żółw.pl" }).Message;

        Assert.Equal("biuro@żółw.pl", built.From.Mailboxes.Single().Address);
        Assert.Equal("m1.mailroom@xn--w-uga1v8h.pl", built.MessageId);
    }

    [Theory]
    [InlineData("Hello\r\nBcc: victim@example.test")]
    [InlineData("Hello\nBcc: victim@example.test")]
    [InlineData("Hello\rBcc: victim@example.test")]
    public void SubjectWithLineBreaks_CannotCreateAHeader(string subject)
    {
        var built = MimeMessageBuilder.Build(Queued(Draft with { Subject = subject }), Sender).Message;

        var reparsed = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(Serialize(built))));
        Assert.Empty(reparsed.Bcc);
        Assert.DoesNotContain(reparsed.Headers, header => header.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("Hello Bcc: victim@example.test", reparsed.Subject);
    }

    [Fact]
    public void DisplayNameWithLineBreak_CannotCreateAHeader()
    {
        var built = MimeMessageBuilder.Build(Queued(Draft), Sender with { DisplayName = "Anna\r\nBcc: victim@example.test" }).Message;

        var reparsed = MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(Serialize(built))));
        Assert.Empty(reparsed.Bcc);
        Assert.Equal("anna@example.test", reparsed.From.Mailboxes.Single().Address);
    }

    [Fact]
    public void MissingFromAddress_IsASenderSettingsProblem()
    {
        var error = Assert.Throws<InvalidOutgoingMessageException>(() => MimeMessageBuilder.Build(Queued(Draft), Sender with { FromAddress = null }));

        Assert.True(error.IsSenderSettingsProblem);
    }

    [Fact]
    public void FallbackFromAddress_IsUsedWhenTheSettingsHaveNone()
    {
        var built = MimeMessageBuilder.Build(Queued(Draft), Sender with { FromAddress = null }, "noreply@system.test").Message;

        Assert.Equal("noreply@system.test", built.From.Mailboxes.Single().Address);
    }

    [Fact]
    public void UnreadableRecipient_IsAProblemOfTheMessage()
    {
        var error = Assert.Throws<InvalidOutgoingMessageException>(() => MimeMessageBuilder.Build(Queued(Draft with { To = ["not an address"] }), Sender));

        Assert.False(error.IsSenderSettingsProblem);
    }

    [Fact]
    public void HtmlOnlyDraft_GetsNoTextPart()
    {
        var built = MimeMessageBuilder.Build(Queued(Draft with { TextBody = null, Attachments = [] }), Sender).Message;

        Assert.Null(built.TextBody);
        Assert.Contains("mailroom-signature", built.HtmlBody);
    }

    private static string Serialize(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
