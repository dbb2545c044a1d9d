using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using Mailroom.Testing;
using MimeKit;

namespace Mailroom.Testbed.Tests;

/// <summary>TLS modes, certificate pinning and SMTP AUTH of the mail test bed, seen by a plain MailKit client.</summary>
public sealed class SmtpSecurityTests
{
    private static MailTestbed Bed => MailTestbed.Instance;

    [MailTestbedFact]
    public async Task SmtpsPort_ImplicitTlsWithPinnedCertificate_AuthenticatesAndAcceptsMail()
    {
        string? presentedSha256 = null;
        using var smtp = Bed.CreateSmtpClient();
        smtp.ServerCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            presentedSha256 = certificate is null ? null : Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
            return Bed.ValidateServerCertificate(sender, certificate, chain, errors);
        };

        await smtp.ConnectAsync(Bed.Host, Bed.SmtpsPort, SecureSocketOptions.SslOnConnect);
        Assert.True(smtp.IsSecure);
        Assert.Equal(Bed.CertificateSha256, presentedSha256, ignoreCase: true);
        await smtp.AuthenticateAsync(Bed.UserName, Bed.Password);
        Assert.True(smtp.IsAuthenticated);
        var response = await smtp.SendAsync(TestMessages.Simple(Bed, "smtps"));
        await smtp.DisconnectAsync(true);

        Assert.Contains("queued", response, StringComparison.OrdinalIgnoreCase);
    }

    [MailTestbedFact]
    public async Task SubmissionPort_StartTls_AuthenticatesAndAcceptsMail()
    {
        using var smtp = Bed.CreateSmtpClient();

        await smtp.ConnectAsync(Bed.Host, Bed.SubmissionPort, SecureSocketOptions.StartTls);
        Assert.True(smtp.IsSecure);
        Assert.True(smtp.Capabilities.HasFlag(SmtpCapabilities.Authentication));
        await smtp.AuthenticateAsync(Bed.UserName, Bed.Password);
        Assert.True(smtp.IsAuthenticated);
        var response = await smtp.SendAsync(TestMessages.Simple(Bed, "starttls"));
        await smtp.DisconnectAsync(true);

        Assert.Contains("queued", response, StringComparison.OrdinalIgnoreCase);
    }

    [MailTestbedFact]
    public async Task SubmissionPort_BeforeStartTls_OffersNoAuthAndRefusesToAuthenticate()
    {
        using var smtp = Bed.CreateSmtpClient();

        await smtp.ConnectAsync(Bed.Host, Bed.SubmissionPort, SecureSocketOptions.None);

        Assert.False(smtp.IsSecure);
        Assert.True(smtp.Capabilities.HasFlag(SmtpCapabilities.StartTLS));
        Assert.False(smtp.Capabilities.HasFlag(SmtpCapabilities.Authentication));
        await Assert.ThrowsAsync<NotSupportedException>(() => smtp.AuthenticateAsync(Bed.UserName, Bed.Password));
    }

    [MailTestbedFact]
    public async Task SubmissionPort_BeforeStartTls_RefusesMailWithMustIssueStartTls()
    {
        using var smtp = Bed.CreateSmtpClient();
        await smtp.ConnectAsync(Bed.Host, Bed.SubmissionPort, SecureSocketOptions.None);

        // MailKit turns Postfix's "530 5.7.0 Must issue a STARTTLS command first" into this type
        var error = await Assert.ThrowsAsync<ServiceNotAuthenticatedException>(
            () => smtp.SendAsync(TestMessages.Simple(Bed, "no-tls")));

        Assert.Contains("5.7.0 Must issue a STARTTLS command first", error.Message);
    }

    [MailTestbedTheory]
    [InlineData("plain")]
    [InlineData("smtps")]
    [InlineData("submission")]
    public async Task WrongPassword_ThrowsAuthenticationExceptionWith535(string port)
    {
        using var smtp = Bed.CreateSmtpClient();
        var (number, options) = port switch
        {
            "plain" => (Bed.PlainPort, SecureSocketOptions.None),
            "smtps" => (Bed.SmtpsPort, SecureSocketOptions.SslOnConnect),
            "submission" => (Bed.SubmissionPort, SecureSocketOptions.StartTls),
            _ => throw new ArgumentOutOfRangeException(nameof(port), port, null),
        };
        await smtp.ConnectAsync(Bed.Host, number, options);

        var error = await Assert.ThrowsAsync<AuthenticationException>(
            () => smtp.AuthenticateAsync(Bed.UserName, "not-" + Bed.Password));

        Assert.Contains("535", error.Message);
        Assert.False(smtp.IsAuthenticated);
    }

    [MailTestbedFact]
    public async Task DefaultValidation_RejectsTheSelfSignedCertificate()
    {
        // no ServerCertificateValidationCallback: MailKit's default (system trust store) applies
        using var smtp = new SmtpClient { LocalDomain = MailTestbed.ClientLocalDomain, Timeout = 15_000 };
        using var imap = new ImapClient { Timeout = 15_000 };

        await Assert.ThrowsAsync<SslHandshakeException>(
            () => smtp.ConnectAsync(Bed.Host, Bed.SmtpsPort, SecureSocketOptions.SslOnConnect));
        await Assert.ThrowsAsync<SslHandshakeException>(
            () => imap.ConnectAsync(Bed.Host, Bed.ImapsPort, SecureSocketOptions.SslOnConnect));

        Assert.False(smtp.IsConnected);
        Assert.False(imap.IsConnected);
    }

    [MailTestbedFact]
    public async Task PinForAnotherCertificate_RejectsTheServer()
    {
        var otherPin = Convert.ToHexString(SHA256.HashData("some other certificate"u8));
        using var smtp = Bed.CreateSmtpClient();
        smtp.ServerCertificateValidationCallback = (_, certificate, _, _) => MailTestbed.MatchesPin(certificate, otherPin);

        await Assert.ThrowsAsync<SslHandshakeException>(
            () => smtp.ConnectAsync(Bed.Host, Bed.SubmissionPort, SecureSocketOptions.StartTls));
    }

    [MailTestbedFact]
    public void PinnedValidation_AcceptsOnlyTheTestbedCertificate()
    {
        using var testbedCertificate = X509Certificate2.CreateFromPem(File.ReadAllText(Bed.CaCertificatePath));
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var otherCertificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        Assert.True(Bed.ValidateServerCertificate(this, testbedCertificate, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(Bed.ValidateServerCertificate(this, otherCertificate, null, SslPolicyErrors.None));
        Assert.False(Bed.ValidateServerCertificate(this, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
    }
}
