using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;
using static Mailroom.Core.Tests.Settings.Validation.ValidationAssert;

namespace Mailroom.Core.Tests.Settings.Validation;

public sealed class NormalisationTests
{
    [Fact]
    public void Strings_AreTrimmed()
    {
        var result = Validate(new SenderProfileInput
        {
            AccountName = "  Comarch DMS ",
            FromAddress = " jan@firma.pl ",
            DisplayName = "\u00a0Jan Kowalski ",
            Host = " smtp.wp.pl ",
            Login = " jan ",
            Signature = "\n\nPozdrawiam\nJan\n",
        });

        HasNoIssues(result);
        Assert.Equal("Comarch DMS", result.Normalized.AccountName);
        Assert.Equal("jan@firma.pl", result.Normalized.FromAddress);
        Assert.Equal("Jan Kowalski", result.Normalized.DisplayName);
        Assert.Equal("smtp.wp.pl", result.Normalized.Host);
        Assert.Equal("jan", result.Normalized.Login);
        Assert.Equal("Pozdrawiam\nJan", result.Normalized.Signature);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u00a0\u2003")]
    public void EmptyOrWhitespaceStrings_BecomeNotSet(string blank)
    {
        var result = Validate(new SenderProfileInput
        {
            AccountName = blank,
            FromAddress = blank,
            DisplayName = blank,
            ReplyTo = blank,
            Description = blank,
            ServerType = blank,
            Host = blank,
            Login = blank,
            Bcc = blank,
            Signature = blank,
        });

        HasNoIssues(result);
        var normalized = result.Normalized;
        Assert.All(
            [normalized.AccountName, normalized.FromAddress, normalized.DisplayName, normalized.ReplyTo,
             normalized.Description, normalized.ServerType, normalized.Host, normalized.Login, normalized.Bcc,
             normalized.Signature],
            Assert.Null);
    }

    [Fact]
    public void EmptyPassword_StaysEmpty_BecauseItMeansRemove()
    {
        var result = Validate(new SenderProfileInput { Password = "" });

        HasNoIssues(result);
        Assert.Equal("", result.Normalized.Password);
    }

    [Fact]
    public void Password_IsNotTrimmed_BecauseSpacesMayBePartOfIt()
    {
        var result = Validate(new SenderProfileInput { Authentication = AuthenticationMethod.Password, Password = " tajne hasło " });

        Assert.True(result.IsValid);
        Assert.Equal(" tajne hasło ", result.Normalized.Password);
    }

    [Fact]
    public void SpacesOnlyPassword_IsRefused()
    {
        var result = Validate(new SenderProfileInput { Authentication = AuthenticationMethod.Password, Password = "   " });

        HasIssue(result, SenderField.Password, ValidationCodes.PasswordBlank);
        HasNoIssueWithCode(result, ValidationCodes.PasswordRequired);
    }

    [Theory]
    [InlineData("smtp.gmail.com:465", "smtp.gmail.com", 465)]
    [InlineData("smtp.office365.com:587", "smtp.office365.com", 587)]
    [InlineData("  smtp.wp.pl:25 ", "smtp.wp.pl", 25)]
    [InlineData("[2001:db8::1]:587", "2001:db8::1", 587)]
    [InlineData("[::1]:25", "::1", 25)]
    [InlineData("192.0.2.10:465", "192.0.2.10", 465)]
    [InlineData("poczta.żółw.pl:587", "poczta.żółw.pl", 587)]
    public void HostWithPort_IsSplitIntoHostAndPort(string typed, string host, int port)
    {
        var result = Validate(new SenderProfileInput { Host = typed });

        HasNoIssues(result);
        Assert.Equal(host, result.Normalized.Host);
        Assert.Equal(port, result.Normalized.Port);
    }

    [Theory]
    [InlineData("2001:db8::1")]
    [InlineData("::1")]
    public void BareIPv6_IsNotMistakenForHostAndPort(string typed)
    {
        var result = Validate(new SenderProfileInput { Host = typed });

        HasNoIssues(result);
        Assert.Equal(typed, result.Normalized.Host);
        Assert.Null(result.Normalized.Port);
    }

    [Fact]
    public void BracketedIPv6WithoutPort_LosesTheBrackets()
    {
        var result = Validate(new SenderProfileInput { Host = "[2001:db8::1]" });

        HasNoIssues(result);
        Assert.Equal("2001:db8::1", result.Normalized.Host);
    }

    [Fact]
    public void HostPortEqualToPortField_IsAccepted()
    {
        var result = Validate(new SenderProfileInput { Host = "smtp.wp.pl:465", Port = 465 });

        HasNoIssues(result);
        Assert.Equal("smtp.wp.pl", result.Normalized.Host);
        Assert.Equal(465, result.Normalized.Port);
    }

    [Fact]
    public void HostPortDifferentFromPortField_IsRefused()
    {
        var result = Validate(new SenderProfileInput { Host = "smtp.wp.pl:465", Port = 587 });

        var issue = HasIssue(result, SenderField.Host, ValidationCodes.HostPortConflict);
        Assert.Contains("465", issue.Message("en"));
        Assert.Contains("587", issue.Message("pl"));
        Assert.Equal("smtp.wp.pl", result.Normalized.Host);
    }

    [Theory]
    [InlineData("smtp.wp.pl:abc", "abc")]
    [InlineData("smtp.wp.pl:", "")]
    [InlineData("[2001:db8::1]:x1", "x1")]
    public void HostWithNonNumericPort_IsRefused(string typed, string suffix)
    {
        var issue = HasIssue(Validate(new SenderProfileInput { Host = typed }), SenderField.Host, ValidationCodes.HostInvalidPortSuffix);
        Assert.Equal(suffix, issue.Args!["suffix"]);
    }

    [Fact]
    public void PortTypedInHost_IsCheckedAgainstThePolicy_AndReportedAtTheHost()
    {
        var result = Validate(new SenderProfileInput { Host = "test.gmail.com:463" });

        HasIssue(result, SenderField.Host, ValidationCodes.PortNotAllowed);
        HasNoIssueOn(result, SenderField.Port);
    }

    [Theory]
    [InlineData("smtp.gmail.com")]
    [InlineData("SMTP.Gmail.com")]
    [InlineData("smtp.googlemail.com")]
    [InlineData("smtp.gmail.com:465")]
    public void GmailAppPassword_LosesItsSpaces(string host)
    {
        var result = Validate(new SenderProfileInput
        {
            Host = host,
            Authentication = AuthenticationMethod.Password,
            Login = "annanowa@gmail.com",
            Password = "abcd efgh ijkl mnop",
        });

        HasNoIssues(result);
        Assert.Equal("abcdefghijklmnop", result.Normalized.Password);
    }

    [Fact]
    public void PasswordSpaces_AreKept_ForOtherHosts()
    {
        var result = Validate(new SenderProfileInput
        {
            Host = "smtp.wp.pl",
            Authentication = AuthenticationMethod.Password,
            Password = "abcd efgh ijkl mnop",
        });

        Assert.Equal("abcd efgh ijkl mnop", result.Normalized.Password);
    }

    [Fact]
    public void UnicodeDomains_AreKeptAsTyped()
    {
        var result = Validate(new SenderProfileInput { FromAddress = "jan@żółw.pl", Host = "smtp.żółw.pl" });

        HasNoIssues(result);
        Assert.Equal("jan@żółw.pl", result.Normalized.FromAddress);
        Assert.Equal("smtp.żółw.pl", result.Normalized.Host);
    }

    [Theory]
    [InlineData("SMTP")]
    [InlineData(" smtp ")]
    public void ServerTypeSmtp_IsAcceptedInAnyCase_AndStoredLowerCase(string typed)
    {
        var result = Validate(new SenderProfileInput { ServerType = typed });

        HasNoIssues(result);
        Assert.Equal("smtp", result.Normalized.ServerType);
    }

    [Theory]
    [InlineData("imap")]
    [InlineData("pop3")]
    [InlineData("exchange")]
    public void ServerTypeOtherThanSmtp_IsRefused(string typed)
    {
        HasIssue(Validate(new SenderProfileInput { ServerType = typed }), SenderField.ServerType, ValidationCodes.ServerTypeNotSmtp);
    }
}
