using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Serialization;
using Mailroom.Core.Delivery;
using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Core.Settings;

namespace Mailroom.Core.Presets;

/// <summary>What one probe found.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProbeOutcome>))]
public enum ProbeOutcome
{
    /// <summary>EHLO answered with this encryption and, where encrypted, a trusted certificate.</summary>
    [JsonStringEnumMemberName("works")] Works,

    /// <summary>Encryption works but the certificate is not trusted: rejected unless its fingerprint is pinned.</summary>
    [JsonStringEnumMemberName("certificateRejected")] CertificateRejected,

    /// <summary>Nothing usable: no such name, nothing listening, wrong protocol, STARTTLS not offered, no answer.</summary>
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>Not tried: the port is outside the port policy.</summary>
    [JsonStringEnumMemberName("notAllowed")] NotAllowed,
}

/// <summary>One server, port and encryption tried by detection, and what it showed.</summary>
/// <param name="Host">The name tried (smtp.&lt;domain&gt;, mail.&lt;domain&gt;, &lt;domain&gt;).</param>
/// <param name="Port">The port.</param>
/// <param name="Encryption">SslTls, StartTls or None.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="AuthMechanisms">The AUTH mechanisms offered where credentials would be sent (after STARTTLS when used).</param>
/// <param name="StartTlsOffered">Whether the first EHLO offered STARTTLS (null when EHLO was not reached).</param>
/// <param name="CertificateTrust"><c>chainValid</c>, <c>pinnedFingerprint</c> or <c>notTrusted</c>; null without TLS.</param>
/// <param name="CertificateSha256">The presented certificate's fingerprint (what to pin), or null.</param>
/// <param name="Hints">Why it failed or what to watch (connection-check hints).</param>
public sealed record DetectionCandidate(
    string Host,
    int Port,
    EncryptionMode Encryption,
    ProbeOutcome Outcome,
    IReadOnlyList<string> AuthMechanisms,
    bool? StartTlsOffered,
    string? CertificateTrust,
    string? CertificateSha256,
    IReadOnlyList<ConnectionCheckHint> Hints)
{
    /// <summary>True when the connection is encrypted.</summary>
    public bool Encrypted => Encryption != EncryptionMode.None;

    /// <summary>True when EHLO offered AUTH where the password would go.</summary>
    public bool AuthOffered => AuthMechanisms.Count > 0;

    /// <summary>True when these settings can be used as they are.</summary>
    public bool Usable => Outcome == ProbeOutcome.Works;

    /// <summary>"host:port".</summary>
    public string Endpoint => $"{Host}:{Port}";
}

/// <summary>The probes of one detection, best first.</summary>
/// <param name="Domain">The domain detected.</param>
/// <param name="Candidates">Every candidate, ranked: usable before not, encrypted first, trusted certificate first, AUTH offered first, then SSL before STARTTLS, then the probe order.</param>
/// <param name="DurationMs">Wall time.</param>
/// <param name="TimedOut">True when the overall limit cut probes short.</param>
public sealed record DetectionResult(string Domain, IReadOnlyList<DetectionCandidate> Candidates, long DurationMs, bool TimedOut)
{
    /// <summary>The settings to suggest: the best usable candidate, or null.</summary>
    public DetectionCandidate? Best => Candidates.FirstOrDefault(c => c.Usable);

    /// <summary>An encrypted candidate rejected only for its certificate, ranked above <see cref="Best"/> would be if pinned; or null.</summary>
    public DetectionCandidate? BetterIfPinned =>
        Candidates.FirstOrDefault(c => c.Outcome == ProbeOutcome.CertificateRejected) is { } rejected && Best is not { Encrypted: true } ? rejected : null;
}

/// <summary>Limits of a detection.</summary>
public sealed record DetectionOptions
{
    /// <summary>Delay between starting one probe and the next (Thunderbird: 100 ms).</summary>
    public TimeSpan Stagger { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The whole detection, whatever the probes do.</summary>
    public TimeSpan OverallTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Time limits of each probe.</summary>
    public ConnectionCheckOptions Probe { get; init; } = new()
    {
        DnsTimeout = TimeSpan.FromSeconds(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ProtocolTimeout = TimeSpan.FromSeconds(8),
        OverallTimeout = TimeSpan.FromSeconds(15),
        MaxAddressesToTry = 2,
    };

    /// <summary>The ports and encryptions tried on each name, in Thunderbird's order.</summary>
    public IReadOnlyList<(int Port, EncryptionMode Encryption)> Tries { get; init; } =
    [
        (587, EncryptionMode.StartTls), (25, EncryptionMode.StartTls), (465, EncryptionMode.SslTls),
        (587, EncryptionMode.None), (25, EncryptionMode.None),
    ];

    /// <summary>A certificate fingerprint the person trusts (a self-signed server they know); null for strict validation.</summary>
    public string? CertificateSha256 { get; init; }
}

/// <summary>
/// Finds the SMTP server of a domain nobody catalogued, the way Thunderbird guesses: smtp.&lt;domain&gt;,
/// mail.&lt;domain&gt; and &lt;domain&gt; × 587 STARTTLS, 25 STARTTLS, 465 SSL, 587 plain, 25 plain, in
/// parallel with a small stagger. Each probe is a connection check without AUTH (the one connect
/// path, <see cref="SmtpConnector"/>): EHLO capabilities, STARTTLS, certificate validation.
/// Ports outside the port policy are never touched; the whole run is bounded in time.
/// </summary>
/// <param name="resolver">Resolves the candidate names.</param>
/// <param name="timeProvider">The clock for certificate validity.</param>
public sealed class SmtpAutoDetector(IHostResolver resolver, TimeProvider timeProvider)
{
    /// <summary>A detector using the system resolver and clock.</summary>
    public SmtpAutoDetector() : this(SystemHostResolver.Instance, TimeProvider.System)
    {
    }

    /// <summary>The names tried for <paramref name="domain"/>, in order.</summary>
    public static IReadOnlyList<string> CandidateHosts(string domain) => [$"smtp.{domain}", $"mail.{domain}", domain];

    /// <summary>Probes <paramref name="domain"/>. Failures are candidates' outcomes, not exceptions.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<DetectionResult> DetectAsync(string domain, PortPolicy policy, DetectionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(options.OverallTimeout);
        // one lookup per name, however many ports are tried on it
        var checker = new SmtpConnectionChecker(new OncePerName(resolver, overall.Token), timeProvider);

        var plan = options.Tries.SelectMany(_ => CandidateHosts(domain), (attempt, host) => (Host: host, attempt.Port, attempt.Encryption)).ToList();
        var notAllowed = plan.Where(p => !policy.Allows(p.Port))
            .Select(p => new DetectionCandidate(p.Host, p.Port, p.Encryption, ProbeOutcome.NotAllowed, [], null, null, null, [])).ToList();
        var allowed = plan.Where(p => policy.Allows(p.Port)).ToList();
        var probes = allowed.Select((p, index) => ProbeAsync(checker, p.Host, p.Port, p.Encryption, options, options.Stagger * index, overall.Token)).ToArray();
        var probed = await Task.WhenAll(probes);
        cancellationToken.ThrowIfCancellationRequested();

        var order = allowed.Select((p, index) => (p, index)).ToDictionary(x => (x.p.Host, x.p.Port, x.p.Encryption), x => x.index);
        var ranked = Rank(probed, candidate => order[(candidate.Host, candidate.Port, candidate.Encryption)]).Concat(notAllowed).ToList();
        return new DetectionResult(domain, ranked, clock.ElapsedMilliseconds, overall.IsCancellationRequested);
    }

    /// <summary>
    /// The ranking: usable first; then encrypted; then a trusted certificate; then AUTH offered;
    /// then SSL/TLS before STARTTLS (Thunderbird); then <paramref name="probeOrder"/>.
    /// </summary>
    public static IEnumerable<DetectionCandidate> Rank(IEnumerable<DetectionCandidate> candidates, Func<DetectionCandidate, int> probeOrder) =>
        candidates
            .OrderByDescending(c => c.Outcome == ProbeOutcome.Works)
            .ThenByDescending(c => c.Outcome == ProbeOutcome.CertificateRejected)
            .ThenByDescending(c => c.Encrypted)
            .ThenByDescending(c => c.CertificateTrust is "chainValid" or "pinnedFingerprint")
            .ThenByDescending(c => c.AuthOffered)
            .ThenByDescending(c => c.Encryption == EncryptionMode.SslTls)
            .ThenBy(probeOrder);

    private static async Task<DetectionCandidate> ProbeAsync(SmtpConnectionChecker checker, string host, int port, EncryptionMode encryption,
        DetectionOptions options, TimeSpan delay, CancellationToken token)
    {
        try
        {
            await Task.Delay(delay, token);
            var endpoint = new SmtpEndpoint(host, port, encryption, AuthenticationMethod.None, null, null, options.CertificateSha256);
            var report = await checker.CheckAsync(endpoint, options.Probe, token);
            return FromReport(host, port, encryption, report);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            var seconds = options.OverallTimeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
            return new DetectionCandidate(host, port, encryption, ProbeOutcome.Failed, [], null, null, null,
                [ConnectionCheckHints.Hint(ConnectionCheckHints.NoAnswer, ("seconds", seconds))]);
        }
    }

    /// <summary>Reads a probe's connection-check report into a candidate.</summary>
    public static DetectionCandidate FromReport(string host, int port, EncryptionMode encryption, ConnectionCheckReport report)
    {
        var firstEhlo = report.StepOf(ConnectionCheckStep.Ehlo);
        var tls = report.StepOf(ConnectionCheckStep.Tls) ?? report.StepOf(ConnectionCheckStep.StartTls);
        var lastEhlo = encryption == EncryptionMode.StartTls ? report.StepOf(ConnectionCheckStep.EhloAfterStartTls) : firstEhlo;
        var trust = tls?.Details.GetValueOrDefault("trust");
        var auth = lastEhlo is { Status: ConnectionCheckStatus.Ok } && lastEhlo.Details.TryGetValue("auth", out var mechanisms) && mechanisms != "none"
            ? mechanisms.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];
        bool? startTlsOffered = firstEhlo is { Status: ConnectionCheckStatus.Ok } ? firstEhlo.Details.GetValueOrDefault("startTls") == "yes" : null;
        var outcome = report.Status != ConnectionCheckStatus.Failed ? ProbeOutcome.Works
            : trust == "notTrusted" ? ProbeOutcome.CertificateRejected
            : ProbeOutcome.Failed;
        var hints = report.Steps.Where(s => s.Status is ConnectionCheckStatus.Failed or ConnectionCheckStatus.Warning).SelectMany(s => s.Hints).ToList();
        return new DetectionCandidate(host, port, encryption, outcome, auth, startTlsOffered, trust, tls?.Details.GetValueOrDefault("sha256"), hints);
    }

    /// <summary>Resolves each name once per detection (fifteen probes share three names); the lookup ends with the detection.</summary>
    private sealed class OncePerName(IHostResolver inner, CancellationToken detectionToken) : IHostResolver
    {
        private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<IPAddress>>>> _answers = new(StringComparer.OrdinalIgnoreCase);

        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
            _answers.GetOrAdd(host, name => new Lazy<Task<IReadOnlyList<IPAddress>>>(() => inner.ResolveAsync(name, detectionToken))).Value
                .WaitAsync(cancellationToken);
    }
}
