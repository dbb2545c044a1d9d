using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;
using static Mailroom.Core.Tests.Settings.Validation.ValidationAssert;

namespace Mailroom.Core.Tests.Settings.Validation;

public sealed class AuthenticationTests
{
    private const string GmailAppPassword = "abcdefghijklmnop";

    [Fact]
    public void LoginAndPassword_WithATypedPassword_IsAccepted()
    {
        HasNoIssues(Validate(new SenderProfileInput
        {
            Host = "smtp.wp.pl",
            Port = 465,
            Encryption = EncryptionMode.SslTls,
            Authentication = AuthenticationMethod.Password,
            Login = "jan@wp.pl",
            Password = "Lawenda458!",
        }));
    }

    [Fact]
    public void LoginAndPassword_WithoutAnyPassword_IsRefused()
    {
        var result = Validate(new SenderProfileInput { Authentication = AuthenticationMethod.Password, Login = "jan" });

        HasIssue(result, SenderField.Password, ValidationCodes.PasswordRequired);
    }

    [Fact]
    public void LoginAndPassword_KeepingTheStoredPassword_IsAccepted()
    {
        var context = Global with { ExistingHasPassword = true };

        HasNoIssues(SenderProfileValidator.Validate(new SenderProfileInput { Authentication = AuthenticationMethod.Password }, context));
    }

    [Fact]
    public void LoginAndPassword_RemovingTheStoredPassword_IsRefused()
    {
        var context = Global with { ExistingHasPassword = true };
        var input = new SenderProfileInput { Authentication = AuthenticationMethod.Password, Password = "" };

        HasIssue(SenderProfileValidator.Validate(input, context), SenderField.Password, ValidationCodes.PasswordRequired);
    }

    [Fact]
    public void UserSettingOwnLogin_UnderInheritedLoginAndPassword_NeedsAPassword()
    {
        var result = Validate(new SenderProfileInput { Login = "jan" }, User(inherited: AuthenticationMethod.Password));

        HasIssue(result, SenderField.Password, ValidationCodes.PasswordRequiredWithLogin);
    }

    [Fact]
    public void UserSettingOwnLoginAndPassword_UnderInheritedLoginAndPassword_IsAccepted()
    {
        var result = Validate(new SenderProfileInput { Login = "jan", Password = "tajne" }, User(inherited: AuthenticationMethod.Password));

        HasNoIssues(result);
    }

    [Fact]
    public void UserSettingOwnLogin_WithOwnStoredPassword_IsAccepted()
    {
        var context = User(inherited: AuthenticationMethod.Password, existingHasPassword: true);

        HasNoIssues(Validate(new SenderProfileInput { Login = "jan" }, context));
    }

    [Theory]
    [InlineData(AuthenticationMethod.None)]
    [InlineData(AuthenticationMethod.OAuth2Microsoft365)]
    [InlineData(null)]
    public void UserSettingOwnLogin_WithoutInheritedLoginAndPassword_NeedsNoPassword(AuthenticationMethod? inherited)
    {
        HasNoIssueWithCode(Validate(new SenderProfileInput { Login = "jan" }, User(inherited)), ValidationCodes.PasswordRequiredWithLogin);
    }

    [Fact]
    public void GlobalProfileLoginAlone_NeedsNoPassword()
    {
        HasNoIssues(Validate(new SenderProfileInput { Login = "jan" }));
    }

    [Theory]
    [InlineData(AuthenticationMethod.None)]
    [InlineData(AuthenticationMethod.OAuth2Microsoft365)]
    [InlineData(AuthenticationMethod.OAuth2Google)]
    public void Password_WithAuthenticationThatUsesNone_IsRefused(AuthenticationMethod authentication)
    {
        HasIssue(Validate(new SenderProfileInput { Authentication = authentication, Password = "tajne" }),
            SenderField.Password, ValidationCodes.PasswordNotUsed);
    }

    [Fact]
    public void Password_WithInheritedOAuth_IsRefused()
    {
        var result = Validate(new SenderProfileInput { Password = "tajne" }, User(inherited: AuthenticationMethod.OAuth2Microsoft365));

        HasIssue(result, SenderField.Password, ValidationCodes.PasswordNotUsed);
    }

    [Fact]
    public void RemovingThePassword_WithAuthenticationNone_IsAccepted()
    {
        HasNoIssues(Validate(new SenderProfileInput { Authentication = AuthenticationMethod.None, Password = "" }));
    }

    [Theory]
    [InlineData("smtp.office365.com")]
    [InlineData("smtp-mail.outlook.com")]
    [InlineData("eu.smtp.office365.com")]
    [InlineData("SMTP.Office365.com")]
    public void Microsoft365WithLoginAndPassword_WarnsThatBasicAuthIsRetired(string host)
    {
        var result = Validate(new SenderProfileInput
        {
            Host = host,
            Port = 587,
            Authentication = AuthenticationMethod.Password,
            Login = "jan@firma.pl",
            Password = "tajne",
        });

        var issue = HasIssue(result, SenderField.Authentication, ValidationCodes.Microsoft365BasicAuthRetired, IssueSeverity.Warning);
        Assert.True(result.IsValid);
        Assert.Contains("April 2026", issue.Message("en"));
        Assert.Contains("kwietnia 2026", issue.Message("pl"));
        Assert.Contains("OAuth2", issue.Message("en"));
    }

    [Fact]
    public void Microsoft365WithInheritedLoginAndPassword_AlsoWarns()
    {
        var result = Validate(new SenderProfileInput { Host = "smtp.office365.com" }, User(inherited: AuthenticationMethod.Password));

        HasIssue(result, SenderField.Authentication, ValidationCodes.Microsoft365BasicAuthRetired, IssueSeverity.Warning);
    }

    [Fact]
    public void Microsoft365WithOAuth_HasNoWarning()
    {
        HasNoIssues(Validate(new SenderProfileInput
        {
            Host = "smtp.office365.com",
            SenderMode = SenderMode.Microsoft365OAuth,
            Authentication = AuthenticationMethod.OAuth2Microsoft365,
        }));
    }

    [Theory]
    [InlineData(AuthenticationMethod.None)]
    [InlineData(AuthenticationMethod.OAuth2Google)]
    public void Microsoft365OAuthSender_WithAnotherAuthentication_IsRefused(AuthenticationMethod authentication)
    {
        var result = Validate(new SenderProfileInput { SenderMode = SenderMode.Microsoft365OAuth, Authentication = authentication });

        HasIssue(result, SenderField.Authentication, ValidationCodes.Microsoft365ModeNeedsOAuth);
    }

    [Fact]
    public void Microsoft365OAuthSender_WithLoginAndPassword_IsRefusedWithoutAnExtraWarning()
    {
        var result = Validate(new SenderProfileInput
        {
            SenderMode = SenderMode.Microsoft365OAuth,
            Authentication = AuthenticationMethod.Password,
            Password = "tajne",
        });

        HasIssue(result, SenderField.Authentication, ValidationCodes.Microsoft365ModeNeedsOAuth);
        HasNoIssueWithCode(result, ValidationCodes.Microsoft365BasicAuthRetired);
    }

    [Fact]
    public void Microsoft365OAuthSender_WithoutOwnAuthentication_IsAccepted()
    {
        HasNoIssues(Validate(new SenderProfileInput { SenderMode = SenderMode.Microsoft365OAuth }));
    }

    [Fact]
    public void NoEncryptionWithLoginAndPassword_WarnsThatThePasswordTravelsInClear()
    {
        var result = Validate(new SenderProfileInput
        {
            Port = 25,
            Encryption = EncryptionMode.None,
            Authentication = AuthenticationMethod.Password,
            Password = "tajne",
        });

        HasIssue(result, SenderField.Encryption, ValidationCodes.EncryptionNoneWithPassword, IssueSeverity.Warning);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void NoEncryptionWithoutAuthentication_HasNoWarning()
    {
        HasNoIssues(Validate(new SenderProfileInput { Port = 25, Encryption = EncryptionMode.None, Authentication = AuthenticationMethod.None }));
    }

    [Theory]
    [InlineData("Lawenda458!")]
    [InlineData("abcd efgh ijkl")]
    [InlineData("abcd efgh ijkl mnop q")]
    [InlineData("abcd efgh ijkl 1234")]
    public void GmailWithoutAnAppPassword_WarnsAboutAppPasswords(string password)
    {
        var result = Validate(new SenderProfileInput
        {
            Host = "smtp.gmail.com",
            Port = 465,
            Authentication = AuthenticationMethod.Password,
            Password = password,
        });

        var issue = HasIssue(result, SenderField.Password, ValidationCodes.GmailAppPasswordExpected, IssueSeverity.Warning);
        Assert.True(result.IsValid);
        Assert.Contains("16", issue.Message("pl"));
        Assert.DoesNotContain(password, issue.Message("en"));
    }

    [Theory]
    [InlineData(GmailAppPassword)]
    [InlineData("abcd efgh ijkl mnop")]
    [InlineData("ABCD EFGH IJKL MNOP")]
    public void GmailWithAnAppPassword_HasNoWarning(string password)
    {
        HasNoIssues(Validate(new SenderProfileInput
        {
            Host = "smtp.gmail.com",
            Port = 465,
            Authentication = AuthenticationMethod.Password,
            Password = password,
        }));
    }
}
