using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;
using static Mailroom.Core.Tests.Settings.Validation.ValidationAssert;

namespace Mailroom.Core.Tests.Settings.Validation;

public sealed class SharedSenderTests
{
    private static readonly ValidationContext SharedSender = User(inherited: AuthenticationMethod.Password, sharedSender: true);

    public static TheoryData<string, SenderProfileInput> NonCredentialFields() => new()
    {
        { SenderField.Enabled, new() { Enabled = false } },
        { SenderField.AccountName, new() { AccountName = "Moje konto" } },
        { SenderField.FromAddress, new() { FromAddress = "jan@firma.pl" } },
        { SenderField.DisplayName, new() { DisplayName = "Jan" } },
        { SenderField.ReplyTo, new() { ReplyTo = "jan@firma.pl" } },
        { SenderField.Description, new() { Description = "Opis" } },
        { SenderField.ServerType, new() { ServerType = "smtp" } },
        { SenderField.Host, new() { Host = "smtp.wp.pl" } },
        { SenderField.Port, new() { Port = 587 } },
        { SenderField.Encryption, new() { Encryption = EncryptionMode.Auto } },
        { SenderField.Authentication, new() { Authentication = AuthenticationMethod.None } },
        { SenderField.Bcc, new() { Bcc = "archiwum@firma.pl" } },
        { SenderField.Signature, new() { Signature = "Pozdrawiam" } },
        { SenderField.SenderMode, new() { SenderMode = SenderMode.OwnSmtp } },
    };

    [Theory]
    [MemberData(nameof(NonCredentialFields))]
    public void UnderSharedSender_AnyFieldButLoginAndPassword_IsRefused(string field, SenderProfileInput input)
    {
        var result = Validate(input, SharedSender);

        HasIssue(result, field, ValidationCodes.SharedSenderOnlyCredentials);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void UnderSharedSender_FieldsAreRefused_AlsoWhenAPasswordIsStored()
    {
        var context = SharedSender with { ExistingHasPassword = true };

        HasIssue(Validate(new SenderProfileInput { Host = "smtp.wp.pl" }, context), SenderField.Host, ValidationCodes.SharedSenderOnlyCredentials);
    }

    [Fact]
    public void UnderSharedSender_LoginAndPassword_AreAccepted()
    {
        HasNoIssues(Validate(new SenderProfileInput { Login = "jan", Password = "tajne" }, SharedSender));
    }

    [Fact]
    public void UnderSharedSender_RemovingOwnPassword_IsAccepted()
    {
        HasNoIssues(Validate(new SenderProfileInput { Password = "" }, SharedSender));
    }

    [Fact]
    public void UnderSharedSender_OwnLoginStillNeedsAPassword()
    {
        HasIssue(Validate(new SenderProfileInput { Login = "jan" }, SharedSender), SenderField.Password, ValidationCodes.PasswordRequiredWithLogin);
    }

    [Fact]
    public void UnderSharedSender_BlankFieldsCountAsNotSet()
    {
        HasNoIssues(Validate(new SenderProfileInput { AccountName = "  ", Host = "", Login = "jan", Password = "tajne" }, SharedSender));
    }

    [Fact]
    public void UnderSharedSender_EveryRefusedFieldIsNamed_AndGetsNoOtherMessage()
    {
        var result = Validate(new SenderProfileInput
        {
            Host = "smtp://zly host",
            Port = 2525,
            FromAddress = "zły",
            Login = "jan",
            Password = "tajne",
        }, SharedSender);

        HasIssue(result, SenderField.Host, ValidationCodes.SharedSenderOnlyCredentials);
        HasIssue(result, SenderField.Port, ValidationCodes.SharedSenderOnlyCredentials);
        HasIssue(result, SenderField.FromAddress, ValidationCodes.SharedSenderOnlyCredentials);
        Assert.Equal(3, result.Issues.Count);
    }

    [Fact]
    public void UnderSharedSender_OwnAuthenticationIsIgnoredForPasswordRules()
    {
        // The refused "none" will not be saved, so the inherited login-and-password applies.
        var result = Validate(new SenderProfileInput { Authentication = AuthenticationMethod.None, Password = "tajne" }, SharedSender);

        HasIssue(result, SenderField.Authentication, ValidationCodes.SharedSenderOnlyCredentials);
        HasNoIssueWithCode(result, ValidationCodes.PasswordNotUsed);
    }

    [Fact]
    public void WithoutSharedSender_TheSameFieldsAreAccepted()
    {
        HasNoIssues(Validate(new SenderProfileInput { Host = "smtp.wp.pl", Port = 587, AccountName = "Moje konto" }, User()));
    }

    [Fact]
    public void SharedSenderMessage_SaysOnlyLoginAndPasswordCanBeChanged()
    {
        var issue = HasIssue(Validate(new SenderProfileInput { Host = "smtp.wp.pl" }, SharedSender),
            SenderField.Host, ValidationCodes.SharedSenderOnlyCredentials);

        Assert.Contains("login and password", issue.Message("en"));
        Assert.Contains("login i hasło", issue.Message("pl"));
        Assert.Contains("administrator", issue.Message("pl"), StringComparison.OrdinalIgnoreCase);
    }
}
