using Mailroom.Core.Settings;

namespace Mailroom.Core.OAuth;

/// <summary>How a profile's OAuth2 tokens are obtained.</summary>
public enum OAuthGrantKind
{
    /// <summary>A person signed in (browser or device code); a refresh token keeps the grant alive.</summary>
    Delegated,

    /// <summary>App-only (client credentials, Microsoft 365 shared mailboxes): no refresh token, a new token each time.</summary>
    AppOnly,
}

/// <summary>
/// A profile's OAuth2 sign-in: which provider, which account the tokens belong to (the SMTP user
/// name), and the refresh token encrypted by <see cref="Security.ISecretProtector"/>. The access
/// token is never stored.
/// </summary>
public sealed record OAuthGrant
{
    /// <summary>The profile this sign-in belongs to.</summary>
    public required ProfileScope Scope { get; init; }

    /// <summary>Microsoft 365 or Google.</summary>
    public required OAuthProvider Provider { get; init; }

    /// <summary>Delegated or app-only.</summary>
    public required OAuthGrantKind Kind { get; init; }

    /// <summary>The account (mailbox address) the tokens act for: the SMTP user name.</summary>
    public required string Account { get; init; }

    /// <summary>The newest refresh token, encrypted; null for app-only grants.</summary>
    public string? ProtectedRefreshToken { get; init; }

    /// <summary>When the person signed in (or app-only was set up).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the refresh token last changed (rotation).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Where OAuth2 sign-ins are kept; one per profile. Implemented by each storage backend.</summary>
public interface IOAuthGrantStore
{
    /// <summary>The sign-in of <paramref name="scope"/>, or null.</summary>
    Task<OAuthGrant?> GetAsync(ProfileScope scope, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces the sign-in of <paramref name="grant"/>'s scope.</summary>
    Task SaveAsync(OAuthGrant grant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the refresh token only if it still is <paramref name="expectedProtectedRefreshToken"/>
    /// (another node may have rotated it meanwhile); true when replaced.
    /// </summary>
    Task<bool> RotateRefreshTokenAsync(ProfileScope scope, string? expectedProtectedRefreshToken, string newProtectedRefreshToken, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Removes the sign-in of <paramref name="scope"/>; false when there was none.</summary>
    Task<bool> DeleteAsync(ProfileScope scope, CancellationToken cancellationToken = default);
}

/// <summary>Why no token could be had; the code names a sentence in Messages (<c>oauth.problem.*</c>).</summary>
public sealed class OAuthProblemException(string code, string englishMessage, Exception? inner = null) : Exception(englishMessage, inner)
{
    /// <summary>Not signed in for this profile.</summary>
    public const string NotSignedIn = "oauth.problem.notSignedIn";
    /// <summary>The grant was revoked or expired (invalid_grant): sign in again.</summary>
    public const string SignInAgain = "oauth.problem.signInAgain";
    /// <summary>The user or administrator did not consent.</summary>
    public const string ConsentMissing = "oauth.problem.consentMissing";
    /// <summary>The signed-in account is not the one the profile sends as.</summary>
    public const string WrongAccount = "oauth.problem.wrongAccount";
    /// <summary>The provider is not configured (no client id).</summary>
    public const string NotConfigured = "oauth.problem.notConfigured";
    /// <summary>The provider answered with another error or could not be reached.</summary>
    public const string ProviderError = "oauth.problem.providerError";

    /// <summary>The mail server refused the access token (revoked, expired, another account's).</summary>
    public const string TokenRefused = "oauth.problem.tokenRefused";
    /// <summary>The mail server refused the token because SMTP AUTH is disabled for the mailbox (5.7.139).</summary>
    public const string SmtpAuthDisabled = "oauth.problem.smtpAuthDisabled";

    /// <summary>
    /// The reason code for a mail server refusing an OAuth2 token with <paramref name="reply"/>
    /// (delivery and the connection check both say it this way).
    /// </summary>
    public static string RefusalCode(Mail.SmtpReply? reply) => reply?.IsSmtpAuthDisabled == true ? SmtpAuthDisabled : TokenRefused;

    /// <summary>The Messages code of the reason.</summary>
    public string Code { get; } = code;

    /// <summary>True when a retry later may help (provider unreachable), false when a person must act.</summary>
    public bool IsTransient { get; init; }
}

/// <summary>Maps the authentication method of a profile to its provider.</summary>
public static class OAuthProviders
{
    /// <summary>The provider behind <paramref name="method"/>, or null when it is not OAuth2.</summary>
    public static OAuthProvider? For(AuthenticationMethod method) => method switch
    {
        AuthenticationMethod.OAuth2Microsoft365 => OAuthProvider.Microsoft365,
        AuthenticationMethod.OAuth2Google => OAuthProvider.Google,
        _ => null,
    };

    /// <summary>"microsoft365" or "google", as in URLs and the API.</summary>
    public static string Name(OAuthProvider provider) => provider == OAuthProvider.Google ? "google" : "microsoft365";

    /// <summary>Parses <see cref="Name"/>; null for anything else.</summary>
    public static OAuthProvider? Parse(string? name) => name?.ToLowerInvariant() switch
    {
        "microsoft365" => OAuthProvider.Microsoft365,
        "google" => OAuthProvider.Google,
        _ => null,
    };

    /// <summary>"Microsoft 365" or "Google".</summary>
    public static string DisplayName(OAuthProvider provider) => provider == OAuthProvider.Google ? "Google" : "Microsoft 365";
}

/// <summary>How both storage backends write and read a grant's row (one concept, one place).</summary>
public static class StoredOAuthGrants
{
    /// <summary>"delegated" or "appOnly".</summary>
    public static string KindName(OAuthGrantKind kind) => kind == OAuthGrantKind.AppOnly ? "appOnly" : "delegated";

    /// <summary>The profile scope a stored key ("global", "user:&lt;id&gt;") names.</summary>
    public static ProfileScope ParseScope(string key) =>
        key == "global" ? ProfileScope.Global
        : key.StartsWith("user:", StringComparison.Ordinal) ? ProfileScope.ForUser(key["user:".Length..])
        : throw new FormatException($"'{key}' is not a profile scope.");

    /// <summary>A grant from its stored columns.</summary>
    public static OAuthGrant FromRow(string scope, string provider, string kind, string account, string? protectedRefreshToken, DateTimeOffset createdAt, DateTimeOffset updatedAt) => new()
    {
        Scope = ParseScope(scope),
        Provider = OAuthProviders.Parse(provider) ?? throw new FormatException($"Unknown OAuth provider '{provider}'."),
        Kind = kind == "appOnly" ? OAuthGrantKind.AppOnly : OAuthGrantKind.Delegated,
        Account = account,
        ProtectedRefreshToken = protectedRefreshToken,
        CreatedAt = createdAt,
        UpdatedAt = updatedAt,
    };

    /// <summary>The parameters of an insert/update of <paramref name="grant"/> (times left to the backend).</summary>
    public static (string Scope, string Provider, string Kind, string Account, string? Token) Columns(OAuthGrant grant) =>
        (grant.Scope.ToString(), OAuthProviders.Name(grant.Provider), KindName(grant.Kind), grant.Account, grant.ProtectedRefreshToken);
}
