using System.Net;
using System.Net.Sockets;
using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Core.Presets;
using Mailroom.Core.Settings;
using Mailroom.Testing;

namespace Mailroom.Delivery.Tests.Presets;

/// <summary>
/// Detection against the real Postfix of the test bed on its standard ports (25 STARTTLS offered,
/// 465 implicit TLS, 587 STARTTLS required), reached through a made-up domain whose names resolve
/// to the bed's private loopback address. The bed's certificate is self-signed (names localhost and
/// mail.example.test): strict validation rejects it, pinning its fingerprint trusts it.
/// </summary>
public class DetectionTestbedTests
{
    private const string Domain = "firma-wykrywanie.test";

    private static MailTestbed Bed => MailTestbed.Instance;

    private static DetectionOptions Options(string? pin = null) => new()
    {
        CertificateSha256 = pin,
        Stagger = TimeSpan.FromMilliseconds(20),
        OverallTimeout = TimeSpan.FromSeconds(40),
        Probe = new ConnectionCheckOptions
        {
            DnsTimeout = TimeSpan.FromSeconds(2), ConnectTimeout = TimeSpan.FromSeconds(3),
            ProtocolTimeout = TimeSpan.FromSeconds(5), OverallTimeout = TimeSpan.FromSeconds(20),
        },
    };

    private static SmtpAutoDetector Detector(params string[] names) =>
        new(new NamesAt(IPAddress.Parse(Bed.StandardPortsAddress), names), TimeProvider.System);

    [MailTestbedFact]
    public async Task WithThePinnedCertificate_SslOnSmtpHostRanksFirst_ThenStartTls_ThenPlain_AndAuthIsSeen()
    {
        var result = await Detector($"smtp.{Domain}", $"mail.{Domain}", Domain)
            .DetectAsync(Domain, PortPolicy.Default, Options(Bed.CertificateSha256.ToLowerInvariant()), CancellationToken.None);

        var best = result.Best!;
        Assert.Equal(($"smtp.{Domain}", 465, EncryptionMode.SslTls, "pinnedFingerprint"), (best.Host, best.Port, best.Encryption, best.CertificateTrust));
        Assert.Contains("PLAIN", best.AuthMechanisms);
        Assert.Equal(15, result.Candidates.Count);
        Assert.All(result.Candidates, c => Assert.Equal(ProbeOutcome.Works, c.Outcome));
        // every encrypted candidate before every plain one; within the encrypted, SSL before STARTTLS on the same name
        var order = result.Candidates.Select(c => c.Encrypted).ToList();
        Assert.Equal(order.OrderByDescending(e => e), order);
        var smtpHost = result.Candidates.Where(c => c.Host == $"smtp.{Domain}" && c.Encrypted).Select(c => (c.Port, c.Encryption)).ToList();
        Assert.Equal([(465, EncryptionMode.SslTls), (587, EncryptionMode.StartTls), (25, EncryptionMode.StartTls)], smtpHost);
        // 587 offers AUTH only after STARTTLS: the plain probe sees none
        var plain587 = result.Candidates.Single(c => c.Host == $"smtp.{Domain}" && c.Port == 587 && !c.Encrypted);
        Assert.Empty(plain587.AuthMechanisms);
        Assert.True(plain587.StartTlsOffered);
        Assert.False(result.TimedOut);
    }

    [MailTestbedFact]
    public async Task WithStrictValidation_TheSelfSignedCertificateIsRejected_AndOnlyPlainIsSuggested_WithThePinToUse()
    {
        var result = await Detector($"smtp.{Domain}", $"mail.{Domain}", Domain)
            .DetectAsync(Domain, PortPolicy.Default, Options(), CancellationToken.None);

        var encrypted = result.Candidates.Where(c => c.Encrypted).ToList();
        Assert.Equal(9, encrypted.Count);
        Assert.All(encrypted, c => Assert.Equal(ProbeOutcome.CertificateRejected, c.Outcome));
        Assert.All(encrypted, c => Assert.Equal(Bed.CertificateSha256, c.CertificateSha256, ignoreCase: true));
        Assert.All(encrypted, c => Assert.Contains(c.Hints, h => h.Code == ConnectionCheckHints.CertificateUntrusted));
        // smtp.<domain> is not among the certificate's names; mail.<domain> is not either (it names mail.example.test)
        Assert.Contains(encrypted.Single(c => c.Host == $"smtp.{Domain}" && c.Port == 465).Hints, h => h.Code == ConnectionCheckHints.CertificateNameMismatch);

        var best = result.Best!;
        Assert.Equal(EncryptionMode.None, best.Encryption);
        Assert.Equal(best, result.Candidates.First(c => c.Usable));
        Assert.True(result.Candidates.TakeWhile(c => c.Usable).All(c => !c.Encrypted));
        Assert.NotNull(result.BetterIfPinned);
        Assert.Equal(Bed.CertificateSha256, result.BetterIfPinned!.CertificateSha256, ignoreCase: true);

        var lookup = await new PresetLookupService(ProviderCatalog.Default, new NoMx(), Detector($"smtp.{Domain}", $"mail.{Domain}", Domain))
            .LookupAsync("jan@" + Domain, PortPolicy.Default, detect: true, Options(), CancellationToken.None);
        Assert.Equal(PresetSource.Detection, lookup.Source);
        Assert.Equal(EncryptionMode.None, lookup.Settings!.Encryption);
        Assert.Contains(lookup.Explanations, e => e.Code == "presets.explain.detectedPlain");
        Assert.Contains(lookup.Explanations, e => e.Code == "presets.explain.certificateRejected" && e.In("pl").Contains(Bed.CertificateSha256, StringComparison.OrdinalIgnoreCase));
    }

    [MailTestbedFact]
    public async Task OnlyTheBareDomainExists_SoOnlyItsCandidatesWork_AndTheMissingNamesSayHostNotFound()
    {
        var result = await Detector(Domain).DetectAsync(Domain, PortPolicy.Default, Options(Bed.CertificateSha256), CancellationToken.None);

        Assert.Equal((Domain, 465), (result.Best!.Host, result.Best.Port));
        Assert.All(result.Candidates.Where(c => c.Host != Domain), c =>
        {
            Assert.Equal(ProbeOutcome.Failed, c.Outcome);
            Assert.Contains(c.Hints, h => h.Code == ConnectionCheckHints.HostNotFound);
        });
    }

    [MailTestbedFact]
    public async Task PortsOutsideThePolicy_AreNeverProbed()
    {
        var options = Options(Bed.CertificateSha256) with
        {
            Tries = [(2525, EncryptionMode.StartTls), (465, EncryptionMode.SslTls)],
        };
        var resolver = new NamesAt(IPAddress.Parse(Bed.StandardPortsAddress), Domain);

        var result = await new SmtpAutoDetector(resolver, TimeProvider.System).DetectAsync(Domain, PortPolicy.Default, options, CancellationToken.None);

        Assert.All(result.Candidates.Where(c => c.Port == 2525), c => Assert.Equal(ProbeOutcome.NotAllowed, c.Outcome));
        Assert.Equal(3, result.Candidates.Count(c => c.Port == 2525));
        Assert.Equal((Domain, 465), (result.Best!.Host, result.Best.Port));
        // with 2525 opened by the administrator it is tried (nothing listens there on the bed's address)
        var opened = await new SmtpAutoDetector(resolver, TimeProvider.System)
            .DetectAsync(Domain, new PortPolicy { AdditionalPorts = [2525] }, options, CancellationToken.None);
        Assert.Contains(opened.Candidates, c => c.Port == 2525 && c.Host == Domain && c.Outcome == ProbeOutcome.Failed
            && c.Hints.Any(h => h.Code == ConnectionCheckHints.ConnectionRefused));
    }

    /// <summary>The given names resolve to one address; every other name does not exist.</summary>
    internal sealed class NamesAt(IPAddress address, params string[] names) : IHostResolver
    {
        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
            names.Contains(host, StringComparer.OrdinalIgnoreCase)
                ? Task.FromResult<IReadOnlyList<IPAddress>>([address])
                : throw new SocketException((int)SocketError.HostNotFound);
    }

    private sealed class NoMx : IMxResolver
    {
        public Task<IReadOnlyList<string>> ResolveMxAsync(string domain, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
    }
}
