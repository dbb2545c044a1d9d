using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mailroom.Core.Delivery;
using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Core.Settings;
using Status = Mailroom.Core.Delivery.ConnectionCheck.ConnectionCheckStatus;
using Step = Mailroom.Core.Delivery.ConnectionCheck.ConnectionCheckStep;
using Mailroom.Testing;

namespace Mailroom.Delivery.Tests.ConnectionCheck;

/// <summary>The connection check against situations the test bed cannot produce, on 127.0.0.1 only.</summary>
public class ConnectionCheckFaultTests
{
    private static readonly ConnectionCheckOptions Short = ConnectionCheckTestbedTests.ShortTimeouts with
    {
        ConnectTimeout = TimeSpan.FromSeconds(1),
        ProtocolTimeout = TimeSpan.FromSeconds(1.5),
    };

    private static readonly SmtpConnectionChecker Checker = new(new FakeHostResolver("localhost", "smtp.example.test"), TimeProvider.System);

    private static SmtpEndpoint Endpoint(int port, EncryptionMode encryption, AuthenticationMethod authentication = AuthenticationMethod.None,
        string host = "smtp.example.test", string? pin = null) =>
        new(host, port, encryption, authentication, "user@example.test", "secret-password", pin);

    private static Task<ConnectionCheckReport> CheckAsync(SmtpEndpoint endpoint) =>
        Checker.CheckAsync(endpoint, Short, CancellationToken.None);

    [Fact]
    public async Task UnknownHost_FailsAtDns_WithHostNotFoundHint_AndSkipsTheRest()
    {
        var report = await CheckAsync(Endpoint(25, EncryptionMode.Auto, host: "no-such-host.invalid"));

        Assert.Equal(Status.Failed, report.Status);
        var dns = report.StepOf(Step.Dns)!;
        Assert.Equal(ConnectionCheckHints.HostNotFound, dns.Hints.Single().Code);
        Assert.Contains("no-such-host.invalid", dns.Hints.Single().MessageIn("pl"));
        Assert.All(report.Steps.Skip(1), step => Assert.Equal(Status.Skipped, step.Status));
    }

    [Fact]
    public async Task ClosedPort_IsReportedAsRefused_NotAsFiltered()
    {
        var port = LoopbackPorts.Free(); // nothing listens there

        var report = await CheckAsync(Endpoint(port, EncryptionMode.Auto));

        var connect = report.StepOf(Step.Connect)!;
        Assert.Equal(Status.Failed, connect.Status);
        Assert.Equal(ConnectionCheckHints.ConnectionRefused, connect.Hints.Single().Code);
    }

    [Fact]
    public async Task PortThatNeverCompletesTheHandshake_IsReportedAsFiltered_WithinTheTimeout()
    {
        // A listener whose accept queue is full drops further SYNs, as a filtering firewall does.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                try { await filler.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), wait.Token); }
                catch (OperationCanceledException) { break; } // the queue is full now
            }

            var report = await CheckAsync(Endpoint(port, EncryptionMode.Auto));

            var connect = report.StepOf(Step.Connect)!;
            Assert.Equal(Status.Failed, connect.Status);
            Assert.Equal(ConnectionCheckHints.PortFiltered, connect.Hints.Single().Code);
            Assert.InRange(connect.DurationMs, 900, 5_000);
        }
        finally
        {
            fillers.ForEach(filler => filler.Dispose());
        }
    }

    [Fact]
    public async Task ServerThatAcceptsButNeverGreets_FailsAtTheGreeting_SuggestingImplicitTls()
    {
        await using var server = new ScriptedSmtpListener([], greeting: []);

        var report = await CheckAsync(Endpoint(server.Port, EncryptionMode.StartTls));

        Assert.Equal(Status.Ok, report.StepOf(Step.Connect)!.Status);
        var greeting = report.StepOf(Step.Greeting)!;
        Assert.Equal(Status.Failed, greeting.Status);
        Assert.Equal(ConnectionCheckHints.StartTlsOnImplicitTlsPort, greeting.Hints.Single().Code);
        Assert.True(report.DurationMs < 10_000);
    }

    [Fact]
    public async Task GarbageGreeting_FailsAtTheGreeting_SuggestingImplicitTls()
    {
        await using var server = new ScriptedSmtpListener([], greeting: [0x16, 0x03, 0x01, 0x00, 0x2a, 0x02, (byte)'\r', (byte)'\n']);

        var report = await CheckAsync(Endpoint(server.Port, EncryptionMode.Auto));

        var greeting = report.StepOf(Step.Greeting)!;
        Assert.Equal(Status.Failed, greeting.Status);
        Assert.Equal(ConnectionCheckHints.StartTlsOnImplicitTlsPort, greeting.Hints.Single().Code);
    }

    [Fact]
    public async Task StartTlsRequired_ButNotOffered_FailsTheStartTlsStep()
    {
        await using var server = new ScriptedSmtpListener(["PIPELINING", "AUTH PLAIN"]);

        var report = await CheckAsync(Endpoint(server.Port, EncryptionMode.StartTls, AuthenticationMethod.Password));

        var startTls = report.StepOf(Step.StartTls)!;
        Assert.Equal(Status.Failed, startTls.Status);
        Assert.Equal(ConnectionCheckHints.StartTlsNotOffered, startTls.Hints.Single().Code);
        Assert.DoesNotContain("AUTH", server.Verbs);
    }

    [Fact]
    public async Task Check_SendsNoMessage_OnlyEhloAuthAndQuit()
    {
        await using var server = new ScriptedSmtpListener(["SIZE 1000", "8BITMIME", "PIPELINING", "DSN", "SMTPUTF8", "AUTH PLAIN LOGIN"]);

        // None + password is the one case where clear-text login is allowed: the profile chose it.
        var report = await CheckAsync(Endpoint(server.Port, EncryptionMode.None, AuthenticationMethod.Password));

        Assert.Equal(Status.Warning, report.Status);
        Assert.Equal(Status.Ok, report.StepOf(Step.Authentication)!.Status);
        Assert.Equal(["EHLO", "AUTH", "QUIT"], server.Verbs);
        var ehlo = report.StepOf(Step.Ehlo)!.Details;
        Assert.Equal("1000", ehlo["size"]);
        Assert.Equal("yes", ehlo["8bitmime"]);
        Assert.Equal("yes", ehlo["pipelining"]);
        Assert.Equal("yes", ehlo["dsn"]);
        Assert.Equal("yes", ehlo["smtpUtf8"]);
        Assert.Equal("no", ehlo["startTls"]);
        Assert.Equal("PLAIN LOGIN", ehlo["auth"]);
    }

    [Fact]
    public async Task AutomaticWithPassword_WithoutStartTls_NeverSendsAuth()
    {
        await using var server = new ScriptedSmtpListener(["AUTH PLAIN LOGIN"]);

        var report = await CheckAsync(Endpoint(server.Port, EncryptionMode.Auto, AuthenticationMethod.Password));

        Assert.Equal(ConnectionCheckHints.PlaintextRefused, report.StepOf(Step.Authentication)!.Hints.Single().Code);
        Assert.Equal(["EHLO", "QUIT"], server.Verbs);
    }

    [Fact]
    public async Task ExpiredCertificate_FailsTls_WithTheExpiryDate()
    {
        using var certificate = CreateExpiredCertificate();
        await using var server = new ScriptedSmtpListener([], implicitTlsCertificate: certificate);

        var report = await CheckAsync(Endpoint(server.Port, EncryptionMode.SslTls, host: "localhost"));

        var tls = report.StepOf(Step.Tls)!;
        Assert.Equal(Status.Failed, tls.Status);
        var expired = Assert.Single(tls.Hints, hint => hint.Code == ConnectionCheckHints.CertificateExpired);
        Assert.Equal(ConnectionCheckHints.Timestamp(certificate.NotAfter), expired.Args["notAfter"]);
    }

    [Fact]
    public async Task ExpiredCertificate_TrustedByPin_PassesWithAWarning()
    {
        using var certificate = CreateExpiredCertificate();
        await using var server = new ScriptedSmtpListener(["AUTH PLAIN"], implicitTlsCertificate: certificate);

        var report = await CheckAsync(Endpoint(server.Port, EncryptionMode.SslTls, AuthenticationMethod.Password, "localhost", SmtpConnector.Sha256Of(certificate)));

        Assert.Equal(Status.Warning, report.Status);
        var tls = report.StepOf(Step.Tls)!;
        Assert.Equal(Status.Warning, tls.Status);
        Assert.Equal("pinnedFingerprint", tls.Details["trust"]);
        Assert.Equal(ConnectionCheckHints.CertificateExpiredButPinned, tls.Hints.Single().Code);
        Assert.Equal(Status.Ok, report.StepOf(Step.Authentication)!.Status);
    }

    private static X509Certificate2 CreateExpiredCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddDays(-30), now.AddDays(-2));
        // re-import so SslStream on Linux can use the private key
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
