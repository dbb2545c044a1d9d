using Mailroom.Core.Settings;

namespace Mailroom.Core.Delivery;

/// <summary>
/// Everything needed to open an authenticated SMTP session: where, how encrypted, which
/// certificate to trust, and which credentials. Built from effective settings (with the
/// password decrypted) or from the system relay's configuration. Messages whose endpoints are
/// equal <see cref="WithoutCredential"/> may share a connection.
/// </summary>
public sealed record SmtpEndpoint(
    string Host,
    int Port,
    EncryptionMode Encryption,
    AuthenticationMethod Authentication,
    string? Login,
    string? Password,
    string? CertificateSha256)
{
    /// <summary>The endpoint of effective sender settings; <paramref name="password"/> already decrypted.</summary>
    public static SmtpEndpoint From(EffectiveSenderSettings settings, string? password) => new(
        settings.Host ?? throw new InvalidOperationException("The sender has no SMTP server."),
        settings.Port, settings.Encryption, settings.Authentication, settings.Login, password, settings.CertificateSha256);

    /// <summary>
    /// The endpoint of OAuth2 effective settings: the login is the account the token belongs to,
    /// the "password" the access token (sent only as SASL XOAUTH2/OAUTHBEARER).
    /// </summary>
    public static SmtpEndpoint From(EffectiveSenderSettings settings, OAuth.OAuthAccessToken token) =>
        From(settings, token.Token) with { Login = token.Account };

    /// <summary>True when the credentials are an OAuth2 account and access token.</summary>
    public bool IsOAuth2 => Authentication is AuthenticationMethod.OAuth2Microsoft365 or AuthenticationMethod.OAuth2Google;

    /// <summary>The system relay's endpoint.</summary>
    public static SmtpEndpoint From(SystemRelayOptions relay) => new(
        relay.Host ?? throw new InvalidOperationException("No system relay is configured."),
        relay.Port, relay.Encryption,
        string.IsNullOrEmpty(relay.Login) ? AuthenticationMethod.None : AuthenticationMethod.Password,
        relay.Login, relay.Password, relay.CertificateSha256);

    /// <summary>
    /// True when only public addresses may be connected to (a user-level profile while the
    /// deployment blocks private networks): see <see cref="NetworkGuard"/>.
    /// </summary>
    public bool PublicAddressesOnly { get; init; }

    /// <summary>
    /// The endpoint without its secret (password or access token): what connections are pooled by.
    /// An OAuth2 token is replaced every hour or so, and a password may be edited; the server, the
    /// encryption, the certificate pin and the account stay, and so does the pool.
    /// </summary>
    public SmtpEndpoint WithoutCredential => Password is null ? this : this with { Password = null };

    /// <summary>
    /// What sending caps are counted by: the server and the account on it (never the password),
    /// so every node — and every profile that sends as the same account — shares one count.
    /// </summary>
    public string RateLimitKey => $"{Host.ToLowerInvariant()}:{Port}:{Login}";

    /// <summary>"host:port" for messages and logs (never the credentials).</summary>
    public override string ToString() => $"{Host}:{Port}";
}
