using Mailroom.Core.Bounces;

namespace Mailroom.Core.Tests.Bounces;

/// <summary>
/// The bounce-mailbox reader against real-world shapes: a DSN Postfix really generated on the
/// test bed, and Microsoft 365, Gmail, Exim, qmail, delayed, multi-recipient, out-of-office and
/// unreadable samples written from RFC 3464 and those systems' documented formats.
/// </summary>
public sealed class DsnParserTests
{
    private static readonly BounceAddressOptions Addresses = new() { Domain = "example.test" };

    private static BounceReport Parse(string sample)
    {
        var raw = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Bounces", "Samples", sample));
        return DsnParser.Parse(raw, Addresses).Report;
    }

    [Fact]
    public void Postfix_RealDsnFromTheTestBed_IsABounceMatchedByVerp()
    {
        var report = Parse("postfix-unknown-user.eml");
        Assert.Equal(InboundMailKind.Bounce, report.Kind);
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("nobody@bounce.test", recipient.Address);
        Assert.Equal("failed", recipient.Action);
        Assert.Equal("5.1.1", recipient.Status);
        Assert.Equal("mailbox does not exist (testbed bounce.test)", recipient.DiagnosticCode);
        Assert.True(recipient.IsHardBounce);
        Assert.Equal("abc123", report.VerpMessageId);
        Assert.Equal("verp", report.CorrelatedBy);
    }

    [Fact]
    public void Microsoft365_IsMatchedByTheReturnedHeadersMessageId()
    {
        var report = Parse("microsoft365-recipient-not-found.eml");
        Assert.Equal(InboundMailKind.Bounce, report.Kind);
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("jan.kowalski@contoso.com", recipient.Address);
        Assert.Equal("5.1.10", recipient.Status);
        Assert.StartsWith("550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient jan.kowalski@contoso.com not found", recipient.DiagnosticCode);
        Assert.Null(report.VerpMessageId);
        Assert.Null(report.EnvelopeId);
        Assert.Equal("0193f1a2b3c47d8e9f00112233445566", report.OriginalMessageId);
        Assert.Equal("messageId", report.CorrelatedBy);
    }

    [Fact]
    public void Gmail_IsMatchedByEnvelopeId_AndItsFoldedDiagnosticIsOneLine()
    {
        var report = Parse("gmail-no-such-user.eml");
        Assert.Equal(InboundMailKind.Bounce, report.Kind);
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("nieistnieje@gmail.com", recipient.Address);
        Assert.Equal("5.1.1", recipient.Status);
        Assert.Contains("The email account that you tried to reach does not exist. Please try", recipient.DiagnosticCode);
        Assert.DoesNotContain("\n", recipient.DiagnosticCode);
        Assert.StartsWith("gmail-smtp-in.l.google.com.", recipient.RemoteMta);
        Assert.Equal("0193f1a2b3c47d8e9f0011223344aa77", report.EnvelopeId);
        Assert.Null(report.OriginalMessageId); // the returned message is not Mailroom's
        Assert.Equal("envid", report.CorrelatedBy);
    }

    [Fact]
    public void Delayed_IsANotice_NotABounce()
    {
        var report = Parse("postfix-delayed.eml");
        Assert.Equal(InboundMailKind.Notice, report.Kind);
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("delayed", recipient.Action);
        Assert.False(recipient.IsFailure);
        Assert.Empty(report.Failures);
    }

    [Fact]
    public void TwoRecipients_OneHardOneSoft_BothFailures_OnlyTheHardOneSuppressible()
    {
        var report = Parse("postfix-two-recipients.eml");
        Assert.Equal(InboundMailKind.Bounce, report.Kind);
        Assert.Equal(["gone@example.org", "full@example.org"], report.Failures.Select(f => f.Address));
        Assert.Equal([true, false], report.Failures.Select(f => f.IsHardBounce));
        Assert.Equal("0193f1a2b3c47d8e9f00112233440002", report.VerpMessageId);
        Assert.Equal("0193f1a2b3c47d8e9f00112233440002", report.EnvelopeId);
    }

    [Fact]
    public void Exim_PlainTextBounce_IsRead()
    {
        var report = Parse("exim-failed.eml");
        Assert.Equal(InboundMailKind.Bounce, report.Kind);
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("ghost@example.com", recipient.Address);
        Assert.Equal("5.1.1", recipient.Status);
        Assert.Contains("550 5.1.1 No such user here", recipient.DiagnosticCode);
        Assert.Equal("0193f1a2b3c47d8e9f00112233440003", report.VerpMessageId);
    }

    [Fact]
    public void Qmail_FailureNotice_IsRead_AndMatchedByTheCopiedMessageId()
    {
        var report = Parse("qmail-failure-notice.eml");
        Assert.Equal(InboundMailKind.Bounce, report.Kind);
        var recipient = Assert.Single(report.Recipients);
        Assert.Equal("nobody@example.biz", recipient.Address);
        Assert.Equal("5.1.1", recipient.Status);
        Assert.Equal("0193f1a2b3c47d8e9f00112233440004", report.OriginalMessageId);
    }

    [Theory]
    [InlineData("out-of-office.eml", "Auto-Submitted")]
    [InlineData("automatyczna-odpowiedz.eml", "automatyczna odpowiedź")]
    public void AutoReplies_AreNotBounces(string sample, string why)
    {
        var report = Parse(sample);
        Assert.Equal(InboundMailKind.AutoReply, report.Kind);
        Assert.Empty(report.Recipients);
        Assert.Contains(why, report.Detail);
    }

    [Fact]
    public void APersonsMessage_IsUnparseable_EvenWhenItQuotesAnAddress()
    {
        var report = Parse("unparseable.eml");
        Assert.Equal(InboundMailKind.Unparseable, report.Kind);
        Assert.Empty(report.Recipients);
        Assert.Null(report.CorrelatedMessageId);
    }

    [Fact]
    public void BytesThatAreNoMessage_AreUnparseable_NotAnError()
    {
        var (report, message) = DsnParser.Parse([0xff, 0xfe, 0x00, 0x01], Addresses);
        Assert.Equal(InboundMailKind.Unparseable, report.Kind);
        Assert.Null(report.CorrelatedMessageId);
        _ = message; // MimeKit may or may not build an empty message from junk; either way nothing is dropped
    }

    [Theory]
    [InlineData("bounces+0193abc@example.test", "0193abc")]
    [InlineData("<BOUNCES+0193abc@Example.Test>", "0193abc")]
    [InlineData("bounces@example.test", null)]
    [InlineData("bounces+@example.test", null)]
    [InlineData("bounces+0193abc@other.test", null)]
    [InlineData("other+0193abc@example.test", null)]
    [InlineData("bounces+a b@example.test", null)]
    public void VerpAddresses_AreReadOnlyForTheDeploymentsOwnDomainAndLocalPart(string address, string? expected) =>
        Assert.Equal(expected, Addresses.ReadMessageId(address));

    [Fact]
    public void VerpAddress_RoundTrips()
    {
        var address = Addresses.EnvelopeSenderFor("0193f1a2b3c47d8e9f00112233445566");
        Assert.Equal("bounces+0193f1a2b3c47d8e9f00112233445566@example.test", address);
        Assert.Equal("0193f1a2b3c47d8e9f00112233445566", Addresses.ReadMessageId(address));
    }
}
