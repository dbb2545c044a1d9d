using Mailroom.Core.Localization;
using Mailroom.Core.Mail;

namespace Mailroom.Core.Tests.Mail;

public class MessageDraftValidatorTests
{
    private static readonly MessageDraft Good = new() { To = ["klient@example.com"], Subject = "Faktura", TextBody = "Treść" };

    private static string[] Codes(MessageDraft draft, MessageLimits? limits = null) =>
        MessageDraftValidator.Validate(draft, limits ?? MessageLimits.Default).Issues.Select(i => $"{i.Field}:{i.Code}").ToArray();

    [Fact]
    public void GoodDraft_HasNoIssues_AndIsTrimmed()
    {
        var (normalized, issues) = MessageDraftValidator.Validate(Good with { To = [" klient@example.com "], Subject = " Faktura " }, MessageLimits.Default);

        Assert.Empty(issues);
        Assert.Equal(["klient@example.com"], normalized.To);
        Assert.Equal("Faktura", normalized.Subject);
    }

    [Fact]
    public void NoRecipient_AndNoBody_AreBothReported()
    {
        Assert.Equal(["to:message.recipients.required", "text:message.body.required"], Codes(new MessageDraft { Subject = "x" }));
    }

    [Fact]
    public void EachBadRecipient_IsNamedByItsPosition()
    {
        Assert.Equal(["cc[1]:message.recipient.invalid", "bcc[0]:message.recipient.invalid"],
            Codes(Good with { Cc = ["a@example.com", "not an address"], Bcc = ["@x.pl"] }));
    }

    [Theory]
    [InlineData("Faktura\r\nBcc: victim@example.com")]
    [InlineData("Faktura\nX-Injected: 1")]
    [InlineData("Faktura\0")]
    public void SubjectWithLineBreaksOrControlCharacters_IsRefused(string subject)
    {
        Assert.Equal(["subject:message.subject.controlCharacters"], Codes(Good with { Subject = subject }));
    }

    [Fact]
    public void Limits_AreEnforced()
    {
        var limits = new MessageLimits { MaxRecipients = 2, MaxSubjectLength = 5, MaxAttachmentBytes = 3 };
        var draft = Good with
        {
            To = ["a@example.com", "b@example.com", "c@example.com"],
            Subject = "123456",
            Attachments = [new MessageAttachment("a.pdf", "application/pdf", new byte[4])],
        };

        Assert.Equal(["to:message.recipients.tooMany", "subject:message.subject.tooLong", "attachments:message.attachments.tooLarge"], Codes(draft, limits));
    }

    [Theory]
    [InlineData("../etc/passwd", "text/plain", "attachments[0].fileName:message.attachment.nameInvalid")]
    [InlineData("a.pdf", "not a type", "attachments[0].contentType:message.attachment.contentTypeInvalid")]
    public void BadAttachments_AreRefused(string name, string type, string expected)
    {
        Assert.Equal([expected], Codes(Good with { Attachments = [new MessageAttachment(name, type, [1])] }));
    }

    [Fact]
    public void EveryCode_HasASentenceInEnglishAndPolish()
    {
        Assert.All(MessageDraftValidator.Codes, code =>
        {
            Assert.True(Messages.IsKnown(code), code);
            Assert.NotEqual(Messages.Format(code, "en"), Messages.Format(code, "pl"));
        });
    }
}
