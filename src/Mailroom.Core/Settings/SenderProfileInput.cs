namespace Mailroom.Core.Settings;

/// <summary>
/// A sender profile as a person or application submits it (the body of a settings PUT).
/// A <c>null</c> field means "not set here" (inherit). <see cref="Password"/> is write-only:
/// <c>null</c> keeps the stored password, an empty string removes it.
/// </summary>
public sealed record SenderProfileInput
{
    public bool? Enabled { get; init; }
    public string? AccountName { get; init; }
    public string? FromAddress { get; init; }
    public string? DisplayName { get; init; }
    public string? ReplyTo { get; init; }
    public string? Description { get; init; }

    /// <summary>Always "smtp" when given; any other value is refused.</summary>
    public string? ServerType { get; init; }

    /// <summary>Host name; Directo's <c>host:port</c> notation is accepted and split.</summary>
    public string? Host { get; init; }
    public int? Port { get; init; }
    public EncryptionMode? Encryption { get; init; }
    public AuthenticationMethod? Authentication { get; init; }
    public string? Login { get; init; }

    /// <summary>Plain-text password; never stored as such and never returned.</summary>
    public string? Password { get; init; }
    public string? Bcc { get; init; }
    public string? Signature { get; init; }
    public SenderMode? SenderMode { get; init; }

    /// <summary>SHA-256 fingerprint of the server certificate to pin (hex; colons and spaces allowed).</summary>
    public string? CertificateSha256 { get; init; }
    public int? RateLimitPerMinute { get; init; }
    public int? RateLimitPerDay { get; init; }
}
