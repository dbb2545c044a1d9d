using Mailroom.Core.Delivery;
using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Core.Settings;
using Mailroom.Testing;
using Status = Mailroom.Core.Delivery.ConnectionCheck.ConnectionCheckStatus;
using Step = Mailroom.Core.Delivery.ConnectionCheck.ConnectionCheckStep;

namespace Mailroom.Delivery.Tests.ConnectionCheck;

/// <summary>The connection check against the real Postfix + Dovecot of the test bed.</summary>
public class ConnectionCheckTestbedTests
{
    internal static readonly ConnectionCheckOptions ShortTimeouts = new()
    {
        DnsTimeout = TimeSpan.FromSeconds(2),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        ProtocolTimeout = TimeSpan.FromSeconds(3),
        OverallTimeout = TimeSpan.FromSeconds(30),
    };

    private static MailTestbed Bed => MailTestbed.Instance;

    private static readonly SmtpConnectionChecker Checker = new(new FakeHostResolver("mail.example.test", "smtp.wrong.test", "localhost"), TimeProvider.System);

    private static SmtpEndpoint Endpoint(int port, EncryptionMode encryption, AuthenticationMethod authentication = AuthenticationMethod.Password,
        string? password = null, bool pinned = true, string host = "mail.example.test") =>
        new(host, port, encryption, authentication, Bed.UserName, password ?? Bed.Password, pinned ? Bed.CertificateSha256 : null);

    private static Task<ConnectionCheckReport> CheckAsync(SmtpEndpoint endpoint) =>
        Checker.CheckAsync(endpoint, ShortTimeouts, CancellationToken.None);

    [MailTestbedFact]
    public async Task SslTls_OnImplicitTlsPortWithPin_PassesEveryStep_AndShowsTlsFacts()
    {
        var report = await CheckAsync(Endpoint(Bed.SmtpsPort, EncryptionMode.SslTls));

        Assert.Equal(Status.Ok, report.Status);
        Assert.Equal([Step.Dns, Step.Connect, Step.Tls, Step.Greeting, Step.Ehlo, Step.Authentication, Step.Quit], report.Steps.Select(step => step.Step));
        Assert.All(report.Steps, step => Assert.Equal(Status.Ok, step.Status));
        var tls = report.StepOf(Step.Tls)!.Details;
        Assert.StartsWith("Tls", tls["protocol"]);
        Assert.Contains("CN=", tls["subject"]);
        Assert.Equal(Bed.CertificateSha256, tls["sha256"], ignoreCase: true);
        Assert.Equal("pinnedFingerprint", tls["trust"]);
        Assert.Contains("mail.example.test", tls["names"]);
        Assert.Equal("yes", report.StepOf(Step.Authentication)!.Details["passwordSent"]);
        Assert.Contains("PLAIN", report.StepOf(Step.Ehlo)!.Details["auth"]);
    }

    [MailTestbedFact]
    public async Task StartTls_OnSubmissionPort_Passes_AndAuthIsOfferedOnlyAfterStartTls()
    {
        var report = await CheckAsync(Endpoint(Bed.SubmissionPort, EncryptionMode.StartTls));

        Assert.Equal(Status.Ok, report.Status);
        Assert.Equal("none", report.StepOf(Step.Ehlo)!.Details["auth"]);
        Assert.Equal("yes", report.StepOf(Step.Ehlo)!.Details["startTls"]);
        Assert.Equal(Status.Ok, report.StepOf(Step.StartTls)!.Status);
        Assert.Equal(Bed.CertificateSha256, report.StepOf(Step.StartTls)!.Details["sha256"], ignoreCase: true);
        Assert.Contains("PLAIN", report.StepOf(Step.EhloAfterStartTls)!.Details["auth"]);
        Assert.Equal(Status.Ok, report.StepOf(Step.Authentication)!.Status);
    }

    [MailTestbedFact]
    public async Task Automatic_OnSubmissionPort_UpgradesWithStartTls_AndPasses()
    {
        var report = await CheckAsync(Endpoint(Bed.SubmissionPort, EncryptionMode.Auto));

        Assert.Equal(Status.Ok, report.Status);
        Assert.Equal(Status.Ok, report.StepOf(Step.StartTls)!.Status);
    }

    [MailTestbedFact]
    public async Task Automatic_OnImplicitTlsPortThatIsNot465_UsesStartTls_AndSaysThePortWantsSslTls()
    {
        // Automatic means implicit TLS on 465 only; the bed's SMTPS port is another number.
        var report = await CheckAsync(Endpoint(Bed.SmtpsPort, EncryptionMode.Auto));

        Assert.Equal(Status.Failed, report.Status);
        var greeting = report.StepOf(Step.Greeting)!;
        Assert.Equal(Status.Failed, greeting.Status);
        Assert.Equal(ConnectionCheckHints.StartTlsOnImplicitTlsPort, greeting.Hints.Single().Code);
    }

    [MailTestbedFact]
    public async Task SslTls_AgainstStartTlsPort_FailsTheTlsStep_WithWrongEncryptionHint()
    {
        var report = await CheckAsync(Endpoint(Bed.SubmissionPort, EncryptionMode.SslTls));

        Assert.Equal(Status.Failed, report.Status);
        var tls = report.StepOf(Step.Tls)!;
        Assert.Equal(Status.Failed, tls.Status);
        Assert.Equal(ConnectionCheckHints.SslOnStartTlsPort, tls.Hints.Single().Code);
        Assert.Contains("STARTTLS", tls.Hints.Single().MessageIn("en"));
        Assert.Equal(Status.Skipped, report.StepOf(Step.Authentication)!.Status);
    }

    [MailTestbedFact]
    public async Task StartTls_AgainstImplicitTlsPort_FailsAtTheGreeting_WithWrongEncryptionHint()
    {
        var report = await CheckAsync(Endpoint(Bed.SmtpsPort, EncryptionMode.StartTls));

        var greeting = report.StepOf(Step.Greeting)!;
        Assert.Equal(Status.Failed, greeting.Status);
        Assert.Equal(ConnectionCheckHints.StartTlsOnImplicitTlsPort, greeting.Hints.Single().Code);
        Assert.Contains("465", greeting.Hints.Single().MessageIn("pl"));
        Assert.True(report.DurationMs < ShortTimeouts.OverallTimeout.TotalMilliseconds);
    }

    [MailTestbedFact]
    public async Task WithoutPin_SelfSignedCertificateIsNotTrusted_AndTheHintShowsTheFingerprintToPin()
    {
        var report = await CheckAsync(Endpoint(Bed.SmtpsPort, EncryptionMode.SslTls, pinned: false, host: "localhost"));

        var tls = report.StepOf(Step.Tls)!;
        Assert.Equal(Status.Failed, tls.Status);
        Assert.Equal("notTrusted", tls.Details["trust"]);
        var hint = Assert.Single(tls.Hints);
        Assert.Equal(ConnectionCheckHints.CertificateUntrusted, hint.Code);
        Assert.Equal(Bed.CertificateSha256, hint.Args["fingerprint"], ignoreCase: true);
        Assert.Contains(hint.Args["fingerprint"], hint.MessageIn("en"));
        Assert.Contains(hint.Args["fingerprint"], hint.MessageIn("pl"));
        Assert.Contains(hint.Args["fingerprint"], report.SummaryIn("en"));
        Assert.Equal(Status.Skipped, report.StepOf(Step.Authentication)!.Status);
    }

    [MailTestbedFact]
    public async Task NameTheCertificateDoesNotHave_GivesNameMismatch_WithTheNamesItHas()
    {
        var report = await CheckAsync(Endpoint(Bed.SmtpsPort, EncryptionMode.SslTls, pinned: false, host: "smtp.wrong.test"));

        var tls = report.StepOf(Step.Tls)!;
        Assert.Equal(Status.Failed, tls.Status);
        var mismatch = Assert.Single(tls.Hints, hint => hint.Code == ConnectionCheckHints.CertificateNameMismatch);
        Assert.Equal("smtp.wrong.test", mismatch.Args["host"]);
        Assert.Contains("mail.example.test", mismatch.Args["names"]);
    }

    [MailTestbedFact]
    public async Task WrongPassword_FailsAuthWith535_AndTheBadCredentialsHint()
    {
        var report = await CheckAsync(Endpoint(Bed.SubmissionPort, EncryptionMode.StartTls, password: "not-the-password"));

        Assert.Equal(Status.Failed, report.Status);
        var auth = report.StepOf(Step.Authentication)!;
        Assert.Equal(Status.Failed, auth.Status);
        Assert.StartsWith("535", auth.Details["reply"]);
        Assert.Equal(ConnectionCheckHints.BadCredentials, auth.Hints.Single().Code);
        Assert.Equal(Status.Ok, report.StepOf(Step.Quit)!.Status);
        Assert.DoesNotContain("not-the-password", System.Text.Json.JsonSerializer.Serialize(report));
    }

    [MailTestbedFact]
    public async Task AutomaticWithPassword_OnServerWithoutStartTls_DoesNotSendThePassword()
    {
        var report = await CheckAsync(Endpoint(Bed.PlainPort, EncryptionMode.Auto));

        Assert.Equal(Status.Failed, report.Status);
        Assert.Equal(ConnectionCheckHints.StartTlsNotOfferedAutomatic, report.StepOf(Step.StartTls)!.Hints.Single().Code);
        var auth = report.StepOf(Step.Authentication)!;
        Assert.Equal(Status.Failed, auth.Status);
        Assert.Equal("no", auth.Details["passwordSent"]);
        Assert.Equal(ConnectionCheckHints.PlaintextRefused, auth.Hints.Single().Code);
    }

    [MailTestbedFact]
    public async Task EncryptionNoneWithoutAuthentication_OnPlainPort_WorksWithAWarningThatNothingIsEncrypted()
    {
        var report = await CheckAsync(Endpoint(Bed.PlainPort, EncryptionMode.None, AuthenticationMethod.None));

        Assert.Equal(Status.Warning, report.Status);
        Assert.Equal(ConnectionCheckHints.EncryptionNone, report.StepOf(Step.StartTls)!.Hints.Single().Code);
        Assert.Equal(Status.Skipped, report.StepOf(Step.Authentication)!.Status);
        Assert.Equal(Status.Ok, report.StepOf(Step.Quit)!.Status);
        Assert.NotEqual(report.SummaryIn("en"), report.SummaryIn("pl"));
    }
}
