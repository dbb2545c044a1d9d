namespace Mailroom.Core.Delivery;

/// <summary>How <see cref="SmtpDeliveryAgent"/> delivers: the system relay, where captured mail goes, and its time limits.</summary>
public sealed record SmtpDeliveryOptions
{
    /// <summary>The operator's relay for System-mode mail; when not configured, that mail is captured as .eml files.</summary>
    public SystemRelayOptions SystemRelay { get; init; } = new();

    /// <summary>
    /// The deployment's bounce domain: with one, mail through the deployment's relay (System and
    /// reply-to relay modes) goes out with the VERP envelope sender <c>bounces+&lt;id&gt;@domain</c> and asks for DSNs.
    /// </summary>
    public Bounces.BounceAddressOptions Bounces { get; init; } = new();

    /// <summary>Folder for captured System-mode mail (<c>&lt;message id&gt;.eml</c>); created when needed.</summary>
    public string CaptureDirectory { get; init; } = "captured-mail";

    /// <summary>How long to wait for the server's answer to one command (and for the connection itself).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>An open connection unused for this long is closed (servers drop idle clients after a few minutes anyway).</summary>
    public TimeSpan IdleConnectionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// With connection slots shared by several nodes: how long a connection may sit idle before it
    /// is closed and its slot handed back, so an idle node does not starve a busy one.
    /// </summary>
    public TimeSpan ClusterSlotIdleTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest a message waits for its sender's rate limit before being returned as transient,
    /// so a reached daily cap defers the message instead of blocking a worker for hours.
    /// </summary>
    public TimeSpan MaxRateLimitWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Connections kept open to one server (same host, port and credentials) at the same time.
    /// Providers cap concurrent sessions per account (Microsoft 365 allows 3 at the time of writing;
    /// choose with that in mind).
    /// </summary>
    public int MaxConnectionsPerServer { get; init; } = 4;

    /// <summary>A connection used more recently than this is reused without a NOOP probe first.</summary>
    public TimeSpan ReuseWithoutProbeFor { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The window a per-minute cap counts over: one minute. Tests that must watch several windows
    /// pass shorten it; nothing else should.
    /// </summary>
    public TimeSpan RateLimitMinute { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// When true, a server named by a user-level profile (the user's own or the shared sender's)
    /// is connected to only on public addresses: private, loopback and link-local ones are
    /// refused (SSRF). The global profile and the system relay are the administrator's and are not restricted.
    /// </summary>
    public bool BlockPrivateNetworksForUserProfiles { get; init; } = true;
}
