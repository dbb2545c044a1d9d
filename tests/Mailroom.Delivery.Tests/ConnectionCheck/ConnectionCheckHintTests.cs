using System.Text.Json;
using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Core.Localization;
using Mailroom.Core.Mail;
using Mailroom.Core.Settings;

namespace Mailroom.Delivery.Tests.ConnectionCheck;

public class ConnectionCheckHintTests
{
    public static TheoryData<string> HintCodes => [.. ConnectionCheckHints.AllCodes];

    [Theory]
    [MemberData(nameof(HintCodes))]
    public void EveryHint_HasDifferentEnglishAndPolishSentences(string code)
    {
        var messageCode = ConnectionCheckHint.MessagePrefix + code;
        Assert.True(Messages.IsKnown(messageCode), $"{messageCode} is missing in a language");
        Assert.NotEqual(Messages.Format(messageCode, "en"), Messages.Format(messageCode, "pl"));
    }

    [Fact]
    public void EveryStepAndSummary_HasDifferentEnglishAndPolishSentences()
    {
        var codes = Enum.GetValues<ConnectionCheckStep>().Select(ConnectionCheckStepResult.NameCode)
            .Concat(["check.summary.ok", "check.summary.warning", "check.summary.failed"]);
        Assert.All(codes, code =>
        {
            Assert.True(Messages.IsKnown(code), code);
            Assert.NotEqual(Messages.Format(code, "en"), Messages.Format(code, "pl"));
        });
    }

    [Theory]
    [InlineData("smtp.gmail.com", 535, "5.7.8 Username and Password not accepted")]
    [InlineData("smtp.gmail.com", 534, "5.7.9 Application-specific password required")]
    public void Gmail_RefusingThePassword_AsksForAnAppPassword(string host, int code, string text)
    {
        var hint = ConnectionCheckHints.ForAuthenticationRefused(host, SmtpReply.From(code, text), "jan@gmail.com");

        Assert.Equal(ConnectionCheckHints.GmailAppPassword, hint.Code);
        Assert.Contains("apppasswords", hint.MessageIn("en"));
        Assert.Contains("weryfikację dwuetapową", hint.MessageIn("pl"));
    }

    [Theory]
    [InlineData("smtp.office365.com", "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.")]
    [InlineData("smtp.office365.com", "5.7.3 Authentication unsuccessful")]
    [InlineData("mail.contoso-relay.example", "5.7.139 Authentication unsuccessful, basic authentication is disabled.")]
    public void Microsoft365_RefusingTheLogin_PointsToSmtpAuthAndOAuth(string host, string text)
    {
        var hint = ConnectionCheckHints.ForAuthenticationRefused(host, SmtpReply.From(535, text), "jan@contoso.com");

        Assert.Equal(ConnectionCheckHints.Microsoft365SmtpAuth, hint.Code);
        Assert.Contains("SMTP AUTH", hint.MessageIn("en"));
        Assert.Contains("OAuth2", hint.MessageIn("pl"));
    }

    [Theory]
    [InlineData(535, "5.7.8 Error: authentication failed", ConnectionCheckHints.BadCredentials)]
    [InlineData(530, "5.7.0 Must issue a STARTTLS command first", ConnectionCheckHints.AuthNeedsEncryption)]
    [InlineData(554, "5.7.1 Relay access denied", ConnectionCheckHints.AuthRefused)]
    public void OtherServers_GetTheHintOfTheirReplyCode(int code, string text, string expected)
    {
        Assert.Equal(expected, ConnectionCheckHints.ForAuthenticationRefused("smtp.wp.pl", SmtpReply.From(code, text), "jan@wp.pl").Code);
    }

    [Fact]
    public void Report_SerializesStatusesAndStepsAsCamelCaseCodes_AndLocalizes()
    {
        var report = new ConnectionCheckReport("smtp.example.test:587", EncryptionMode.StartTls, AuthenticationMethod.Password,
            DateTimeOffset.UnixEpoch, ConnectionCheckStatus.Failed, 12,
            [
                new(ConnectionCheckStep.EhloAfterStartTls, ConnectionCheckStatus.Ok, 3, new Dictionary<string, string> { ["auth"] = "PLAIN" }, []),
                new(ConnectionCheckStep.Authentication, ConnectionCheckStatus.Failed, 9, new Dictionary<string, string>(),
                    [ConnectionCheckHints.Hint(ConnectionCheckHints.BadCredentials, ("login", "jan"), ("reply", "535 5.7.8 no"))]),
            ]);

        var json = JsonSerializer.Serialize(report);

        Assert.Contains("\"ehloAfterStartTls\"", json);
        Assert.Contains("\"auth\"", json);
        Assert.Contains("\"failed\"", json);
        Assert.Contains("\"ok\"", json);
        Assert.Contains("\"startTls\"", json);
        var polish = report.Localize("pl");
        Assert.Contains("Logowanie (AUTH)", polish.Summary);
        Assert.Contains("jan", polish.Steps[1].Hints[0].Message);
        Assert.StartsWith("The check of smtp.example.test:587 failed", report.SummaryIn("en"));
    }
}
