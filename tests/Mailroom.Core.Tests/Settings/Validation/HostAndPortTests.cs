using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;
using static Mailroom.Core.Tests.Settings.Validation.ValidationAssert;

namespace Mailroom.Core.Tests.Settings.Validation;

public sealed class HostAndPortTests
{
    [Theory]
    [InlineData("smtp.wp.pl")]
    [InlineData("smtp.poczta.onet.pl")]
    [InlineData("smtp.office365.com")]
    [InlineData("localhost")]
    [InlineData("mail-1.firma.pl")]
    [InlineData("smtp.wp.pl.")]
    [InlineData("smtp.żółw.pl")]
    [InlineData("192.0.2.10")]
    [InlineData("2001:db8::25")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567890123.pl")]
    public void ValidHost_IsAccepted(string host)
    {
        HasNoIssues(Validate(new SenderProfileInput { Host = host }));
    }

    [Theory]
    [InlineData("smtp..wp.pl")]
    [InlineData("-smtp.wp.pl")]
    [InlineData("smtp-.wp.pl")]
    [InlineData("smtp_wp.pl")]
    [InlineData("smtp.wp.pl/")]
    [InlineData("jan@smtp.wp.pl")]
    [InlineData("999.1.1.1")]
    [InlineData("192.0.2")]
    [InlineData("2001:db8::zz")]
    [InlineData("[2001:db8::1")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234.pl")]
    public void InvalidHost_IsRefused(string host)
    {
        var issue = HasIssue(Validate(new SenderProfileInput { Host = host }), SenderField.Host, ValidationCodes.HostInvalid);
        Assert.Contains(host, issue.Message("en"));
    }

    [Fact]
    public void HostOver253Characters_IsRefusedWithTheLimit()
    {
        var host = string.Join('.', Enumerable.Repeat(new string('h', 60), 5)); // 304 characters

        var issue = HasIssue(Validate(new SenderProfileInput { Host = host }), SenderField.Host, ValidationCodes.FieldTooLong);
        Assert.Equal(253, issue.Args!["max"]);
    }

    [Theory]
    [InlineData("smtp://smtp.wp.pl", "smtp.wp.pl")]
    [InlineData("smtps://smtp.gmail.com:465/", "smtp.gmail.com")]
    [InlineData("https://poczta.onet.pl/login", "poczta.onet.pl")]
    public void HostWithScheme_AsksForJustTheName(string typed, string suggestion)
    {
        var issue = HasIssue(Validate(new SenderProfileInput { Host = typed }), SenderField.Host, ValidationCodes.HostHasScheme);

        Assert.Contains(suggestion, issue.Message("en"));
        Assert.Contains(suggestion, issue.Message("pl"));
        HasNoIssueWithCode(Validate(new SenderProfileInput { Host = typed }), ValidationCodes.HostInvalid);
    }

    [Theory]
    [InlineData("smtp wp.pl")]
    [InlineData("smtp.wp.pl 587")]
    public void HostWithSpaces_IsRefused(string host)
    {
        HasIssue(Validate(new SenderProfileInput { Host = host }), SenderField.Host, ValidationCodes.HostContainsSpaces);
    }

    [Theory]
    [InlineData(25)]
    [InlineData(465)]
    [InlineData(587)]
    public void DefaultPorts_AreAllowed(int port)
    {
        HasNoIssues(Validate(new SenderProfileInput { Port = port }));
    }

    [Theory]
    [InlineData(2525)]
    [InlineData(26)]
    [InlineData(463)]
    public void PortOutsideThePolicy_IsRefused(int port)
    {
        var issue = HasIssue(Validate(new SenderProfileInput { Port = port }), SenderField.Port, ValidationCodes.PortNotAllowed);

        Assert.Equal(port, issue.Args!["port"]);
        Assert.Equal("25, 465, 587", issue.Args["allowedPorts"]);
        Assert.Contains("25, 465, 587", issue.Message("en"));
        Assert.Contains("port policy", issue.Message("en"));
    }

    [Fact]
    public void PortOpenedByAdministrator_IsAllowed()
    {
        var context = Global with { PortPolicy = new PortPolicy { AdditionalPorts = [2525] } };

        HasNoIssues(SenderProfileValidator.Validate(new SenderProfileInput { Port = 2525 }, context));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    [InlineData(int.MaxValue)]
    public void PortOutside1To65535_IsRefusedAsNonexistent(int port)
    {
        var result = Validate(new SenderProfileInput { Port = port });

        HasIssue(result, SenderField.Port, ValidationCodes.PortOutOfRange);
        HasNoIssueWithCode(result, ValidationCodes.PortNotAllowed);
    }

    [Fact]
    public void HugePortTypedInHost_IsRefusedAsNonexistent()
    {
        HasIssue(Validate(new SenderProfileInput { Host = "smtp.wp.pl:99999" }), SenderField.Host, ValidationCodes.PortOutOfRange);
    }

    [Theory]
    [InlineData(EncryptionMode.SslTls, 25, ValidationCodes.EncryptionSslTlsOnStartTlsPort)]
    [InlineData(EncryptionMode.SslTls, 587, ValidationCodes.EncryptionSslTlsOnStartTlsPort)]
    [InlineData(EncryptionMode.StartTls, 465, ValidationCodes.EncryptionStartTlsOnImplicitTlsPort)]
    [InlineData(EncryptionMode.None, 465, ValidationCodes.EncryptionNoneOnImplicitTlsPort)]
    public void EncryptionThatDoesNotFitThePort_IsAWarningOnly(EncryptionMode encryption, int port, string code)
    {
        var result = Validate(new SenderProfileInput { Encryption = encryption, Port = port });

        var issue = HasIssue(result, SenderField.Encryption, code, IssueSeverity.Warning);
        Assert.True(result.IsValid);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), issue.Message("pl"));
    }

    [Theory]
    [InlineData(EncryptionMode.SslTls, 465)]
    [InlineData(EncryptionMode.StartTls, 587)]
    [InlineData(EncryptionMode.StartTls, 25)]
    [InlineData(EncryptionMode.None, 25)]
    [InlineData(EncryptionMode.Auto, 465)]
    [InlineData(EncryptionMode.Auto, 587)]
    public void EncryptionThatFitsThePort_HasNoWarning(EncryptionMode encryption, int port)
    {
        HasNoIssues(Validate(new SenderProfileInput { Encryption = encryption, Port = port }));
    }

    [Fact]
    public void EncryptionWarning_AlsoAppliesToAPortTypedInHost()
    {
        var result = Validate(new SenderProfileInput { Host = "smtp.wp.pl:465", Encryption = EncryptionMode.StartTls });

        HasIssue(result, SenderField.Encryption, ValidationCodes.EncryptionStartTlsOnImplicitTlsPort, IssueSeverity.Warning);
    }
}

public class DeliveryLimitRulesTests
{
    private static readonly ValidationContext Global = new(PortPolicy.Default, ProfileScopeKind.Global);

    [Theory]
    [InlineData("AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89")]
    [InlineData("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789")]
    public void CertificatePin_InOpensslOrPlainHex_IsStoredAsLowerCaseHex(string pin)
    {
        var result = SenderProfileValidator.Validate(new SenderProfileInput { CertificateSha256 = pin }, Global);

        Assert.True(result.IsValid);
        Assert.Equal("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789", result.Normalized.CertificateSha256);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("zzcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789")]
    public void CertificatePin_ThatIsNotASha256_IsRefused(string pin)
    {
        var result = SenderProfileValidator.Validate(new SenderProfileInput { CertificateSha256 = pin }, Global);

        var issue = Assert.Single(result.Errors);
        Assert.Equal((SenderField.CertificateSha256, ValidationCodes.CertificateSha256Invalid), (issue.Field, issue.Code));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1_000_001)]
    public void RateLimits_OutsideOneToAMillion_AreRefused(int limit)
    {
        var result = SenderProfileValidator.Validate(new SenderProfileInput { RateLimitPerMinute = limit, RateLimitPerDay = limit }, Global);

        Assert.Equal([SenderField.RateLimitPerMinute, SenderField.RateLimitPerDay], result.Errors.Select(e => e.Field));
        Assert.All(result.Errors, e => Assert.Equal(ValidationCodes.RateLimitOutOfRange, e.Code));
    }

    [Fact]
    public void RateLimits_InRange_AreAccepted()
    {
        Assert.True(SenderProfileValidator.Validate(new SenderProfileInput { RateLimitPerMinute = 30, RateLimitPerDay = 500 }, Global).IsValid);
    }
}
