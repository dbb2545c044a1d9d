using System.Collections.Concurrent;
using Mailroom.Core.Security;
using Mailroom.Core.Settings;

namespace Mailroom.Core.OAuth;

/// <summary>An access token and the account it acts for. <see cref="ToString"/> shows no token.</summary>
public sealed class OAuthAccessToken(string account, string token, DateTimeOffset expiresAt, ProfileScope grantScope)
{
    /// <summary>The SMTP user name: the account the token belongs to.</summary>
    public string Account { get; } = account;
    /// <summary>The bearer token.</summary>
    public string Token { get; } = token;
    /// <summary>When it stops working.</summary>
    public DateTimeOffset ExpiresAt { get; } = expiresAt;
    /// <summary>Whose sign-in it came from.</summary>
    public ProfileScope GrantScope { get; } = grantScope;
    /// <summary>Never the token.</summary>
    public override string ToString() => $"access token for {Account}";
}

/// <summary>What delivery and the connection check ask for a token (so tests can stand in a fake).</summary>
public interface IOAuthTokenSource
{
    /// <summary>
    /// A valid access token for mail of <paramref name="userId"/> (null: the global profile): the
    /// user's own sign-in when they have one, else the global profile's.
    /// </summary>
    /// <exception cref="OAuthProblemException">No usable sign-in; the code says what the person must do.</exception>
    Task<OAuthAccessToken> GetForSenderAsync(string? userId, OAuthProvider provider, CancellationToken cancellationToken = default);

    /// <summary>Drops the cached access token of <paramref name="scope"/> (the server refused it).</summary>
    void Forget(ProfileScope scope);
}

/// <summary>
/// Keeps each profile's OAuth2 sign-in working: stores the refresh token encrypted, refreshes the
/// access token shortly before it expires and caches it in memory only, and stores every rotated
/// refresh token at once (a refresh token the provider rotated away stops working, which is what
/// breaks other products after 90 days). A revoked or expired grant becomes an
/// <see cref="OAuthProblemException"/> telling the person to sign in again.
/// <para>
/// A sender's still-valid token is served from memory without reading the store. Sign-ins and
/// sign-outs on this node take effect at once; one made on another node is seen when the token
/// served now is due for refresh (at most its lifetime, about an hour) or is refused by the server.
/// </para>
/// </summary>
public sealed class OAuthTokenService(
    IOAuthGrantStore store, OAuthClient client, ISecretProtector secrets, TimeProvider? time = null, Queue.IMessageQueueStorage? queue = null) : IOAuthTokenSource
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<ProfileScope, CachedToken> _cache = new();
    // The token last served per sender (user id, "" for none): the user's own or the global one.
    private readonly ConcurrentDictionary<string, OAuthAccessToken> _served = new();
    private readonly ConcurrentDictionary<ProfileScope, SemaphoreSlim> _gates = new();

    /// <summary>The HTTP client side (authorization URL, device code, …).</summary>
    public OAuthClient Client => client;

    /// <summary>The sign-in stored for <paramref name="scope"/>, or null.</summary>
    public Task<OAuthGrant?> GetGrantAsync(ProfileScope scope, CancellationToken cancellationToken = default) => store.GetAsync(scope, cancellationToken);

    /// <inheritdoc />
    public async Task<OAuthAccessToken> GetForSenderAsync(string? userId, OAuthProvider provider, CancellationToken cancellationToken = default)
    {
        var sender = userId ?? "";
        // Still the cached, fresh token of the sign-in it came from: no store read (one per message before).
        if (_served.TryGetValue(sender, out var last) && IsCurrent(last, provider)) return last;
        var token = await ReadAndGetForSenderAsync(userId, provider, cancellationToken);
        _served[sender] = token;
        return token;
    }

    private async Task<OAuthAccessToken> ReadAndGetForSenderAsync(string? userId, OAuthProvider provider, CancellationToken cancellationToken)
    {
        if (userId is not null && await store.GetAsync(ProfileScope.ForUser(userId), cancellationToken) is { } own)
            return await GetAsync(own, provider, cancellationToken);
        var global = await store.GetAsync(ProfileScope.Global, cancellationToken)
            ?? throw new OAuthProblemException(OAuthProblemException.NotSignedIn,
                $"Nobody has signed in with {OAuthProviders.DisplayName(provider)} for this sender yet, so nothing was sent. Open the sender settings and choose \"Authenticate with {OAuthProviders.DisplayName(provider)}\".");
        return await GetAsync(global, provider, cancellationToken);
    }

    // Forget, a refresh or a new sign-in of the token's scope replaces the cache entry, so a token served before stops being current.
    private bool IsCurrent(OAuthAccessToken token, OAuthProvider provider) =>
        _cache.TryGetValue(token.GrantScope, out var cached) && ReferenceEquals(cached.Token, token)
        && cached.Provider == provider && IsFresh(token);

    private bool IsFresh(OAuthAccessToken token) => token.ExpiresAt - client.Options.RefreshBeforeExpiry > _time.GetUtcNow();

    /// <summary>A valid access token of <paramref name="scope"/>'s own sign-in.</summary>
    /// <exception cref="OAuthProblemException">No usable sign-in.</exception>
    public async Task<OAuthAccessToken> GetForScopeAsync(ProfileScope scope, OAuthProvider provider, CancellationToken cancellationToken = default) =>
        await GetAsync(await store.GetAsync(scope, cancellationToken)
            ?? throw new OAuthProblemException(OAuthProblemException.NotSignedIn,
                $"Nobody has signed in with {OAuthProviders.DisplayName(provider)} for this profile yet."), provider, cancellationToken);

    /// <inheritdoc />
    public void Forget(ProfileScope scope) => _cache.TryRemove(scope, out _);

    private async Task<OAuthAccessToken> GetAsync(OAuthGrant grant, OAuthProvider provider, CancellationToken cancellationToken)
    {
        if (grant.Provider != provider)
            throw new OAuthProblemException(OAuthProblemException.NotSignedIn,
                $"The sign-in stored for this sender is for {OAuthProviders.DisplayName(grant.Provider)}, but the sender authenticates with {OAuthProviders.DisplayName(provider)}. Sign in with {OAuthProviders.DisplayName(provider)}.");
        if (Fresh(grant.Scope, grant.Account) is { } cached) return cached;
        var gate = _gates.GetOrAdd(grant.Scope, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(grant.Scope, grant.Account) is { } refreshedMeanwhile) return refreshedMeanwhile;
            // read again under the gate: another call may have rotated the refresh token
            grant = await store.GetAsync(grant.Scope, cancellationToken) ?? grant;
            OAuthTokens tokens;
            if (grant.Kind == OAuthGrantKind.AppOnly)
            {
                tokens = await client.ClientCredentialsAsync(provider, cancellationToken);
            }
            else
            {
                var refreshToken = grant.ProtectedRefreshToken is { } cipher ? secrets.Unprotect(cipher)
                    : throw new OAuthProblemException(OAuthProblemException.SignInAgain, "The stored sign-in has no refresh token; sign in again.");
                try
                {
                    tokens = await client.RefreshAsync(provider, refreshToken, cancellationToken);
                }
                catch (OAuthProblemException problem) when (problem.Code == OAuthProblemException.SignInAgain)
                {
                    throw new OAuthProblemException(OAuthProblemException.SignInAgain,
                        $"The {OAuthProviders.DisplayName(provider)} sign-in of {grant.Account} was revoked or has expired, so nothing was sent. Open the sender settings and choose \"Authenticate with {OAuthProviders.DisplayName(provider)}\" to sign in again; the held messages are sent after that.",
                        problem);
                }
                if (tokens.RefreshToken is { } rotated && rotated != refreshToken)
                {
                    // Store the rotated one before using the access token: the old one no longer works.
                    await store.RotateRefreshTokenAsync(grant.Scope, grant.ProtectedRefreshToken, secrets.Protect(rotated), _time.GetUtcNow(), cancellationToken);
                }
            }
            return Cache(grant.Scope, provider, new OAuthAccessToken(grant.Account, tokens.AccessToken, tokens.ExpiresAt, grant.Scope));
        }
        finally
        {
            gate.Release();
        }
    }

    private OAuthAccessToken? Fresh(ProfileScope scope, string account) =>
        _cache.TryGetValue(scope, out var cached) && cached.Token.Account == account && IsFresh(cached.Token) ? cached.Token : null;

    private OAuthAccessToken Cache(ProfileScope scope, OAuthProvider provider, OAuthAccessToken token)
    {
        _cache[scope] = new CachedToken(token, provider);
        // A user's new own sign-in replaces the global one they were served (a new global one replaces itself).
        if (scope.UserId is { } userId) _served.TryRemove(userId, out _);
        return token;
    }

    private sealed record CachedToken(OAuthAccessToken Token, OAuthProvider Provider);

    /// <summary>
    /// Stores a delegated sign-in from tokens just obtained (authorization code or device code):
    /// learns the account, refuses a sign-in as another account than <paramref name="expectedAccount"/>
    /// (when given), encrypts the refresh token.
    /// </summary>
    /// <exception cref="OAuthProblemException">No refresh token, no account, or the wrong account.</exception>
    public async Task<OAuthGrant> CompleteSignInAsync(ProfileScope scope, OAuthProvider provider, OAuthTokens tokens, string? expectedAccount, CancellationToken cancellationToken = default)
    {
        var account = await client.AccountOfAsync(provider, tokens, cancellationToken);
        if (!string.IsNullOrWhiteSpace(expectedAccount) && !string.Equals(account, expectedAccount, StringComparison.OrdinalIgnoreCase))
            throw WrongAccount(account, expectedAccount);
        if (tokens.RefreshToken is not { } refreshToken)
            throw new OAuthProblemException(OAuthProblemException.ConsentMissing,
                $"{OAuthProviders.DisplayName(provider)} gave no refresh token, so Mailroom could not keep sending after an hour; the offline_access consent is missing.");
        var now = _time.GetUtcNow();
        var grant = new OAuthGrant
        {
            Scope = scope, Provider = provider, Kind = OAuthGrantKind.Delegated, Account = account,
            ProtectedRefreshToken = secrets.Protect(refreshToken), CreatedAt = now, UpdatedAt = now,
        };
        await store.SaveAsync(grant, cancellationToken);
        Cache(scope, provider, new OAuthAccessToken(account, tokens.AccessToken, tokens.ExpiresAt, scope));
        await ReleaseHeldAsync(scope, cancellationToken);
        return grant;
    }

    /// <summary>
    /// Sets up app-only sending (client credentials) as <paramref name="mailbox"/> (a Microsoft 365
    /// shared mailbox the app has been given SMTP.SendAsApp for); a token is fetched first to prove the configuration.
    /// </summary>
    /// <exception cref="OAuthProblemException">The provider refused the app's credentials.</exception>
    public async Task<OAuthGrant> SetUpAppOnlyAsync(ProfileScope scope, OAuthProvider provider, string mailbox, CancellationToken cancellationToken = default)
    {
        var tokens = await client.ClientCredentialsAsync(provider, cancellationToken);
        var now = _time.GetUtcNow();
        var grant = new OAuthGrant
        {
            Scope = scope, Provider = provider, Kind = OAuthGrantKind.AppOnly, Account = mailbox.Trim(),
            CreatedAt = now, UpdatedAt = now,
        };
        await store.SaveAsync(grant, cancellationToken);
        Cache(scope, provider, new OAuthAccessToken(grant.Account, tokens.AccessToken, tokens.ExpiresAt, scope));
        await ReleaseHeldAsync(scope, cancellationToken);
        return grant;
    }

    /// <summary>
    /// Mail held because of the old sign-in gets another chance; the global sign-in serves everyone
    /// without their own, so it releases everyone's.
    /// </summary>
    private async Task ReleaseHeldAsync(ProfileScope scope, CancellationToken cancellationToken)
    {
        if (queue is null) return;
        await queue.ReleaseHeldAsync(scope.UserId, scope.IsGlobal, $"Signed in again with OAuth2 ({scope}); trying again.", _time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Removes the sign-in of <paramref name="scope"/> and revokes its refresh token at the provider where possible.</summary>
    public async Task<bool> SignOutAsync(ProfileScope scope, CancellationToken cancellationToken = default)
    {
        Forget(scope);
        var grant = await store.GetAsync(scope, cancellationToken);
        if (grant is null) return false;
        await store.DeleteAsync(scope, cancellationToken);
        if (grant.ProtectedRefreshToken is { } cipher)
            await client.RevokeAsync(grant.Provider, secrets.Unprotect(cipher), cancellationToken);
        return true;
    }

    /// <summary>The problem for a sign-in as <paramref name="account"/> where <paramref name="expected"/> was wanted.</summary>
    public static OAuthProblemException WrongAccount(string account, string expected) =>
        new(OAuthProblemException.WrongAccount,
            $"You signed in as {account}, but this sender sends as {expected}. Sign in again with the account {expected} (or change the sender's login).")
        {
            Data = { ["account"] = account, ["expected"] = expected },
        };
}
