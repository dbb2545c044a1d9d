using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;
using static Mailroom.Core.Tests.Settings.Validation.ValidationAssert;

namespace Mailroom.Core.Tests.Settings.Validation;

public sealed class ManyIssuesTests
{
    [Fact]
    public void EveryFieldsProblem_IsReportedInOnePass()
    {
        var result = Validate(new SenderProfileInput
        {
            AccountName = new string('a', 101),
            FromAddress = "a@b",
            DisplayName = "Jan\nKowalski",
            ReplyTo = "@b.pl",
            ServerType = "imap",
            Host = "smtp wp.pl",
            Port = 2525,
            Authentication = AuthenticationMethod.Password,
            Bcc = "a@; b@",
        });

        HasIssue(result, SenderField.AccountName, ValidationCodes.FieldTooLong);
        HasIssue(result, SenderField.FromAddress, ValidationCodes.AddressInvalid);
        HasIssue(result, SenderField.DisplayName, ValidationCodes.HeaderControlCharacters);
        HasIssue(result, SenderField.ReplyTo, ValidationCodes.AddressInvalid);
        HasIssue(result, SenderField.ServerType, ValidationCodes.ServerTypeNotSmtp);
        HasIssue(result, SenderField.Host, ValidationCodes.HostContainsSpaces);
        HasIssue(result, SenderField.Port, ValidationCodes.PortNotAllowed);
        HasIssue(result, SenderField.Password, ValidationCodes.PasswordRequired);
        Assert.Equal(2, result.Errors.Count(i => i.Field == SenderField.Bcc));
        Assert.Equal(10, result.Errors.Count());
    }

    [Fact]
    public void WarningsAlone_KeepTheProfileValid()
    {
        var result = Validate(new SenderProfileInput
        {
            Host = "smtp.office365.com",
            Port = 587,
            Encryption = EncryptionMode.SslTls,
            Authentication = AuthenticationMethod.Password,
            Login = "jan@firma.pl",
            Password = "tajne",
        });

        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
        HasIssue(result, SenderField.Encryption, ValidationCodes.EncryptionSslTlsOnStartTlsPort, IssueSeverity.Warning);
        HasIssue(result, SenderField.Authentication, ValidationCodes.Microsoft365BasicAuthRetired, IssueSeverity.Warning);
        Assert.Equal(2, result.Warnings.Count());
    }

    [Fact]
    public void OneErrorAmongWarnings_MakesTheProfileInvalid()
    {
        var result = Validate(new SenderProfileInput { Port = 465, Encryption = EncryptionMode.None, FromAddress = "a@" });

        Assert.False(result.IsValid);
        HasIssue(result, SenderField.Encryption, ValidationCodes.EncryptionNoneOnImplicitTlsPort, IssueSeverity.Warning);
        HasIssue(result, SenderField.FromAddress, ValidationCodes.AddressInvalid);
    }

    [Fact]
    public void ComarchWpExample_IsAccepted()
    {
        // Seed 000: Jan Kowalski, smtp.wp.pl, port 587, login and password.
        var result = Validate(new SenderProfileInput
        {
            Enabled = true,
            AccountName = "Comarch DMS",
            FromAddress = "jankowalski@wp.pl",
            DisplayName = "Jan Kowalski",
            ServerType = "SMTP",
            Host = "smtp.wp.pl",
            Port = 587,
            Encryption = EncryptionMode.StartTls,
            Authentication = AuthenticationMethod.Password,
            Login = "jankowalski@wp.pl",
            Password = "Lawenda458!",
            SenderMode = SenderMode.OwnSmtp,
        });

        HasNoIssues(result);
    }

    [Fact]
    public void DirectoGmailExample_IsAcceptedAndNormalised()
    {
        // Seed 003: "smtp.gmail.com:465", user = the Gmail address, app password as Google shows it.
        var result = Validate(new SenderProfileInput
        {
            Host = "smtp.gmail.com:465",
            Encryption = EncryptionMode.SslTls,
            Authentication = AuthenticationMethod.Password,
            Login = "test@gmail.com",
            Password = "abcd efgh ijkl mnop",
            FromAddress = "test@gmail.com",
        });

        HasNoIssues(result);
        Assert.Equal("smtp.gmail.com", result.Normalized.Host);
        Assert.Equal(465, result.Normalized.Port);
        Assert.Equal("abcdefghijklmnop", result.Normalized.Password);
    }

    [Fact]
    public void EveryReportedCode_IsInTheCodesList()
    {
        var results = new[]
        {
            Validate(new SenderProfileInput { Host = "smtp://x", Port = 0, FromAddress = "\"J\" <j@x.pl>", ReplyTo = "<j@x.pl>", Password = "  " }),
            Validate(new SenderProfileInput { Host = "x.pl:1", Port = 2, Bcc = new string('a', 65) + "@x.pl", Signature = "\0" }),
            Validate(new SenderProfileInput { SenderMode = SenderMode.Microsoft365OAuth, Authentication = AuthenticationMethod.None, Password = "p" }),
            Validate(new SenderProfileInput { Host = "smtp.gmail.com", Encryption = EncryptionMode.None, Authentication = AuthenticationMethod.Password, Password = "p" }),
            Validate(new SenderProfileInput { Enabled = true }, User(sharedSender: true)),
        };

        var reported = results.SelectMany(r => r.Issues).Select(i => i.Code).ToHashSet();
        Assert.True(reported.Count >= 12, string.Join(", ", reported));
        Assert.All(reported, code => Assert.Contains(code, SenderProfileValidator.Codes));
    }
}
