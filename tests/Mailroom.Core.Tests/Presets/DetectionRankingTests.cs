using Mailroom.Core.Presets;
using Mailroom.Core.Settings;

namespace Mailroom.Core.Tests.Presets;

public class DetectionRankingTests
{
    private static DetectionCandidate Candidate(string host, int port, EncryptionMode encryption, ProbeOutcome outcome, string? trust, params string[] auth) =>
        new(host, port, encryption, outcome, auth, null, trust, null, []);

    [Fact]
    public void Rank_PutsUsableFirst_ThenEncrypted_ThenAuthOffered_ThenSslBeforeStartTls_ThenProbeOrder()
    {
        var plainWithAuth = Candidate("mail.d", 25, EncryptionMode.None, ProbeOutcome.Works, null, "PLAIN");
        var startTlsNoAuth = Candidate("smtp.d", 587, EncryptionMode.StartTls, ProbeOutcome.Works, "chainValid");
        var startTlsAuth = Candidate("smtp.d", 25, EncryptionMode.StartTls, ProbeOutcome.Works, "chainValid", "PLAIN", "LOGIN");
        var sslAuth = Candidate("mail.d", 465, EncryptionMode.SslTls, ProbeOutcome.Works, "chainValid", "PLAIN");
        var badCertificate = Candidate("d", 465, EncryptionMode.SslTls, ProbeOutcome.CertificateRejected, "notTrusted");
        var refused = Candidate("smtp.d", 465, EncryptionMode.SslTls, ProbeOutcome.Failed, null);
        var probeOrder = new[] { startTlsNoAuth, startTlsAuth, sslAuth, refused, badCertificate, plainWithAuth };

        var ranked = SmtpAutoDetector.Rank(probeOrder, c => Array.IndexOf(probeOrder, c)).ToList();

        Assert.Equal([sslAuth, startTlsAuth, startTlsNoAuth, plainWithAuth, badCertificate, refused], ranked);
        var result = new DetectionResult("d", ranked, 1, false);
        Assert.Same(sslAuth, result.Best);
        Assert.Null(result.BetterIfPinned); // an encrypted candidate works: nothing to pin
    }

    [Fact]
    public void WhenOnlyPlainWorks_TheRejectedCertificateIsOffered_ForPinning()
    {
        var plain = Candidate("smtp.d", 587, EncryptionMode.None, ProbeOutcome.Works, null);
        var badCertificate = Candidate("smtp.d", 465, EncryptionMode.SslTls, ProbeOutcome.CertificateRejected, "notTrusted");

        var result = new DetectionResult("d", SmtpAutoDetector.Rank([badCertificate, plain], _ => 0).ToList(), 1, false);

        Assert.Same(plain, result.Best);
        Assert.Same(badCertificate, result.BetterIfPinned);
    }
}

public class DetectionBoundsTests
{
    /// <summary>A DNS server that never answers.</summary>
    private sealed class SilentResolver : Mailroom.Core.Delivery.ConnectionCheck.IHostResolver
    {
        public int Lookups;

        public async Task<IReadOnlyList<System.Net.IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Lookups);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return [];
        }
    }

    [Fact]
    public async Task WhenNothingAnswers_DetectionStopsAtItsOverallLimit_AndSaysEveryCandidateWasSilent()
    {
        var resolver = new SilentResolver();
        var options = new DetectionOptions
        {
            Stagger = TimeSpan.FromMilliseconds(1),
            OverallTimeout = TimeSpan.FromSeconds(2),
            Probe = new Mailroom.Core.Delivery.ConnectionCheck.ConnectionCheckOptions { DnsTimeout = TimeSpan.FromMinutes(5), OverallTimeout = TimeSpan.FromMinutes(5) },
        };

        var result = await new SmtpAutoDetector(resolver, TimeProvider.System).DetectAsync("cisza.example", PortPolicy.Default, options, CancellationToken.None);

        Assert.True(result.TimedOut);
        Assert.Null(result.Best);
        Assert.Equal(15, result.Candidates.Count);
        Assert.All(result.Candidates, c => Assert.Equal(ProbeOutcome.Failed, c.Outcome));
        Assert.All(result.Candidates, c => Assert.Contains(c.Hints, h => h.Code == Mailroom.Core.Delivery.ConnectionCheck.ConnectionCheckHints.NoAnswer));
        Assert.InRange(resolver.Lookups, 1, 3); // each name looked up at most once, however many ports
    }
}
