namespace Mailroom.Core.Delivery.ConnectionCheck;

/// <summary>Time limits of a connection check. Every network wait is bounded; so is the whole check.</summary>
public sealed record ConnectionCheckOptions
{
    /// <summary>Resolving the server name.</summary>
    public TimeSpan DnsTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Opening the TCP connection, per address tried.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Each SMTP phase: greeting through the last EHLO (including TLS), AUTH, QUIT.</summary>
    public TimeSpan ProtocolTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The whole check, whatever the steps add up to.</summary>
    public TimeSpan OverallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A trusted certificate expiring within this time gives a warning.</summary>
    public TimeSpan CertificateExpiryWarning { get; init; } = TimeSpan.FromDays(14);

    /// <summary>At most this many of the resolved addresses are tried.</summary>
    public int MaxAddressesToTry { get; init; } = 4;

    /// <summary>
    /// For an OAuth2 endpoint without a token: why there is none (the check then shows it at the
    /// login step and tries no login). Null when the endpoint carries a token.
    /// </summary>
    public OAuth.OAuthProblemException? OAuthProblem { get; init; }
}
