using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Collections.Concurrent;
using MailKit.Security;
using Mailroom.Core.Delivery;
using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Core.Mail;
using Mailroom.Core.OAuth;
using Mailroom.Core.Settings;
using Mailroom.Testing;
using static Mailroom.Delivery.Tests.Delivery.DeliveryTestData;

namespace Mailroom.Delivery.Tests.OAuth;

/// <summary>Sign-ins kept in memory (the backends have their own compliance tests).</summary>
internal sealed class MemoryGrantStore : IOAuthGrantStore
{
    public ConcurrentDictionary<ProfileScope, OAuthGrant> Grants { get; } = new();

    public Task<OAuthGrant?> GetAsync(ProfileScope scope, CancellationToken cancellationToken = default) =>
        Task.FromResult(Grants.TryGetValue(scope, out var grant) ? grant : null);

    public Task SaveAsync(OAuthGrant grant, CancellationToken cancellationToken = default)
    {
        Grants[grant.Scope] = grant;
        return Task.CompletedTask;
    }

    public Task<bool> RotateRefreshTokenAsync(ProfileScope scope, string? expected, string newToken, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (!Grants.TryGetValue(scope, out var grant) || grant.ProtectedRefreshToken != expected) return Task.FromResult(false);
        Grants[scope] = grant with { ProtectedRefreshToken = newToken, UpdatedAt = at };
        return Task.FromResult(true);
    }

    public Task<bool> DeleteAsync(ProfileScope scope, CancellationToken cancellationToken = default) => Task.FromResult(Grants.TryRemove(scope, out _));
}

/// <summary>Counts the reads of another store (how often delivery goes to the database for a token).</summary>
internal sealed class CountingGrantStore(IOAuthGrantStore inner) : IOAuthGrantStore
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public Task<OAuthGrant?> GetAsync(ProfileScope scope, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return inner.GetAsync(scope, cancellationToken);
    }

    public Task SaveAsync(OAuthGrant grant, CancellationToken cancellationToken = default) => inner.SaveAsync(grant, cancellationToken);

    public Task<bool> RotateRefreshTokenAsync(ProfileScope scope, string? expected, string newToken, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        inner.RotateRefreshTokenAsync(scope, expected, newToken, at, cancellationToken);

    public Task<bool> DeleteAsync(ProfileScope scope, CancellationToken cancellationToken = default) => inner.DeleteAsync(scope, cancellationToken);
}

/// <summary>
/// OAuth2 end to end on loopback: the test bed's OAuth2/OIDC server (testbed/oidc: oidc-provider) signs people in,
/// Postfix/Dovecot accept XOAUTH2 only for tokens it vouches for (RFC 7662), and the message is read
/// back over IMAP. One class, so the tests that change the server's settings run one after another.
/// </summary>
public sealed class OAuthEndToEndTests : IAsyncLifetime
{
    private const string RedirectUri = "http://127.0.0.1:9/oauth/callback"; // never opened: the consent answer is read from the redirect
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(30);

    private static MailTestbed Bed => MailTestbed.Instance;

    private readonly ReversibleSecretProtector _secrets = new();
    private readonly MemoryGrantStore _store = new();
    private OAuthTokenService _oauth = null!;
    private SmtpDeliveryAgent _agent = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        if (MailTestbed.SkipReason is not null) return;
        await Bed.OAuth2.SetAsync("access_ttl", "3600");
        _oauth = NewService(TimeSpan.FromMinutes(5));
        _agent = new SmtpDeliveryAgent(new SmtpDeliveryOptions { CommandTimeout = TimeSpan.FromSeconds(15) }, _secrets, oauth: _oauth);
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        if (MailTestbed.SkipReason is null)
        {
            await Bed.OAuth2.SetAsync("access_ttl", "3600");
            await Bed.OAuth2.SetAsync("app_mailbox", "");
        }
        _http.Dispose();
    }

    private OAuthTokenService NewService(TimeSpan refreshBeforeExpiry) =>
        new(_store, new OAuthClient(_http, Options(refreshBeforeExpiry)), _secrets);

    private static OAuthOptions Options(TimeSpan refreshBeforeExpiry) => new()
    {
        RefreshBeforeExpiry = refreshBeforeExpiry,
        Microsoft365 = new OAuthProviderOptions
        {
            ClientId = Bed.OAuth2.ClientId,
            ClientSecret = Bed.OAuth2.ClientSecret,
            Authority = Bed.OAuth2.Issuer, // the tenant path is replaced by the explicit endpoints below
            AuthorizationEndpoint = Bed.OAuth2.Issuer + "/authorize",
            TokenEndpoint = Bed.OAuth2.Issuer + "/token",
            DeviceAuthorizationEndpoint = Bed.OAuth2.Issuer + "/devicecode",
            RevocationEndpoint = Bed.OAuth2.Issuer + "/revoke",
            UserInfoEndpoint = Bed.OAuth2.Issuer + "/userinfo",
        },
    };

    /// <summary>The test bed's submission port (STARTTLS, AUTH required) with OAuth2 Microsoft 365.</summary>
    private static EffectiveSenderSettings Sender(string? login = null) => OwnSmtp(Bed.Host, Bed.SubmissionPort, EncryptionMode.StartTls) with
    {
        FromAddress = null,
        Authentication = AuthenticationMethod.OAuth2Microsoft365,
        SenderMode = SenderMode.Microsoft365OAuth,
        CertificateSha256 = Bed.CertificateSha256,
        Login = login,
    };

    /// <summary>Authorization code + PKCE + state through the server's consent form, as <paramref name="username"/>.</summary>
    private async Task<OAuthGrant> SignInAsync(string username, ProfileScope scope, string? expected = null)
    {
        var client = _oauth.Client;
        var state = OAuthClient.NewState();
        var verifier = OAuthClient.NewVerifier();
        var back = await Bed.OAuth2.ConsentAsync(client.AuthorizationUrl(OAuthProvider.Microsoft365, RedirectUri, state, OAuthClient.Challenge(verifier), null), username);
        var query = System.Web.HttpUtility.ParseQueryString(back.Query);
        Assert.Equal(state, query["state"]);
        var tokens = await client.ExchangeCodeAsync(OAuthProvider.Microsoft365, query["code"]!, RedirectUri, verifier);
        return await _oauth.CompleteSignInAsync(scope, OAuthProvider.Microsoft365, tokens, expected);
    }

    private async Task<DeliveryOutcome> SendAsync(string subject, EffectiveSenderSettings? sender = null, string? userId = null) =>
        await _agent.DeliverAsync(Queued(new MessageDraft { To = [Bed.UserName], Subject = subject, TextBody = "Sent with XOAUTH2.", SenderUserId = userId }),
            sender ?? Sender());

    private static Task WaitForAsync(string subject) =>
        Bed.WaitForMessagesAsync(Bed.UserName, m => m.Subject == subject, ArrivalTimeout);

    [MailTestbedFact]
    public async Task BrowserStyleSignIn_ThenXOAuth2Delivery_IsReadBackOverImap()
    {
        var grant = await SignInAsync(Bed.UserName, ProfileScope.Global);
        Assert.Equal(Bed.UserName, grant.Account); // learnt from the id_token
        Assert.NotNull(grant.ProtectedRefreshToken);
        Assert.StartsWith(ReversibleSecretProtector.Prefix, grant.ProtectedRefreshToken); // stored only through the protector

        var subject = "oauth-e2e " + Guid.NewGuid().ToString("N");
        var outcome = await SendAsync(subject);

        Assert.Equal(DeliveryOutcomeKind.Delivered, outcome.Kind);
        var arrived = (await Bed.WaitForMessagesAsync(Bed.UserName, m => m.Subject == subject, ArrivalTimeout)).Single();
        // With no From in the profile, the account the token belongs to is the sender.
        Assert.Equal(Bed.UserName, arrived.From.Mailboxes.Single().Address);
        Assert.Contains("\"active\":true,\"username\":\"" + Bed.UserName + "\"", Bed.OAuth2.Log()); // Dovecot asked the OAuth2 server
    }

    [MailTestbedFact]
    public async Task ExpiringAccessTokens_AreRefreshed_AndEveryRotatedRefreshTokenIsKept()
    {
        await Bed.OAuth2.SetAsync("access_ttl", "2");
        _oauth = NewService(TimeSpan.FromSeconds(1)); // refresh when less than a second is left
        await _agent.DisposeAsync();
        _agent = new SmtpDeliveryAgent(new SmtpDeliveryOptions { CommandTimeout = TimeSpan.FromSeconds(15) }, _secrets, oauth: _oauth);
        var first = await SignInAsync(Bed.CatchallUserName, ProfileScope.ForUser("rotation"));
        var firstRefreshToken = _secrets.Unprotect(first.ProtectedRefreshToken!);
        var sender = Sender();
        var subjects = new List<string>();

        for (var round = 0; round < 3; round++)
        {
            if (round > 0) await Task.Delay(TimeSpan.FromSeconds(1.5)); // the access token is now (nearly) expired
            var subject = $"oauth-rotation-{round} " + Guid.NewGuid().ToString("N");
            subjects.Add(subject);
            var outcome = await _agent.DeliverAsync(Queued(new MessageDraft { To = [Bed.UserName], Subject = subject, TextBody = "x", SenderUserId = "rotation" }), sender);
            Assert.True(outcome.Kind == DeliveryOutcomeKind.Delivered, outcome.Reason);
        }
        foreach (var subject in subjects) await WaitForAsync(subject);

        var stored = _store.Grants[ProfileScope.ForUser("rotation")];
        var current = _secrets.Unprotect(stored.ProtectedRefreshToken!);
        Assert.NotEqual(firstRefreshToken, current);
        Assert.True(stored.UpdatedAt > first.UpdatedAt);
        // two refreshes: two rotated-away tokens revoked by the server, one live — the stored one
        var stats = await Bed.OAuth2.StatsAsync(Bed.CatchallUserName);
        Assert.True(stats.GetProperty("revoked_refresh_tokens").GetInt32() >= 2, stats.ToString());
        Assert.Equal(1, stats.GetProperty("active_refresh_tokens").GetInt32());
        // the first refresh token no longer works (the server revoked it when it rotated)
        Assert.Equal("invalid_grant", await Bed.OAuth2.TryRefreshAsync(firstRefreshToken));
    }

    [MailTestbedFact]
    public async Task RevokedGrant_IsASenderProblemTellingToSignInAgain_AndNothingIsSent()
    {
        await Bed.OAuth2.SetAsync("access_ttl", "2");
        _oauth = NewService(TimeSpan.FromSeconds(1));
        await _agent.DisposeAsync();
        _agent = new SmtpDeliveryAgent(new SmtpDeliveryOptions { CommandTimeout = TimeSpan.FromSeconds(15) }, _secrets, oauth: _oauth);
        var grant = await SignInAsync(Bed.UserName, ProfileScope.ForUser("revoked"));
        await Bed.OAuth2.RevokeAsync(_secrets.Unprotect(grant.ProtectedRefreshToken!)); // the person removed the app's access
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var outcome = await _agent.DeliverAsync(Queued(new MessageDraft { To = [Bed.UserName], Subject = "never", TextBody = "x", SenderUserId = "revoked" }), Sender());

        Assert.Equal(DeliveryOutcomeKind.SenderProblem, outcome.Kind); // the worker holds the sender's mail on this
        Assert.Contains("revoked or has expired", outcome.Reason);
        Assert.Contains("sign in again", outcome.Reason);
    }

    [MailTestbedFact]
    public async Task TokenRevokedWhileCached_IsRefusedBySmtp_ThenTheRefreshSaysSignInAgain()
    {
        var grant = await SignInAsync(Bed.UserName, ProfileScope.ForUser("cached"));
        await Bed.OAuth2.RevokeAsync(_secrets.Unprotect(grant.ProtectedRefreshToken!)); // the cached access token dies with the grant

        var outcome = await _agent.DeliverAsync(Queued(new MessageDraft { To = [Bed.UserName], Subject = "never", TextBody = "x", SenderUserId = "cached" }), Sender());

        // SMTP refused the cached token (535); the agent dropped it, asked for a fresh one, and the provider refused the refresh.
        Assert.Equal(DeliveryOutcomeKind.SenderProblem, outcome.Kind);
        Assert.Equal(535, outcome.Reply?.Code);
        Assert.Contains("revoked or has expired", outcome.Reason);
        Assert.Contains("sign in again", outcome.Reason);
    }

    [MailTestbedFact]
    public async Task AccessTokenExpiredOnTheWay_IsReplacedOnce_AndTheMessageIsSent()
    {
        var grant = await SignInAsync(Bed.UserName, ProfileScope.ForUser("on-the-way"));
        // The server forgets the access token (as if it expired after Mailroom checked its time); the grant stays valid.
        await Bed.OAuth2.ExpireAsync((await _oauth.GetForScopeAsync(grant.Scope, OAuthProvider.Microsoft365)).Token);

        var subject = "oauth-replaced " + Guid.NewGuid().ToString("N");
        var outcome = await _agent.DeliverAsync(Queued(new MessageDraft { To = [Bed.UserName], Subject = subject, TextBody = "x", SenderUserId = "on-the-way" }), Sender());

        Assert.True(outcome.Kind == DeliveryOutcomeKind.Delivered, outcome.Reason);
        await WaitForAsync(subject);
    }

    [MailTestbedFact]
    public async Task RefreshedToken_SharesThePool_WithOneOpenConnection()
    {
        var grant = await SignInAsync(Bed.UserName, ProfileScope.ForUser("refreshed"));
        var before = await _oauth.GetForScopeAsync(grant.Scope, OAuthProvider.Microsoft365);
        var first = await _agent.DeliverAsync(Queued(new MessageDraft { To = [Bed.UserName], Subject = "pool-1", TextBody = "x", SenderUserId = "refreshed" }), Sender());
        _oauth.Forget(grant.Scope); // as when the token is due: the next send refreshes it

        var subject = "oauth-pool " + Guid.NewGuid().ToString("N");
        var second = await _agent.DeliverAsync(Queued(new MessageDraft { To = [Bed.UserName], Subject = subject, TextBody = "x", SenderUserId = "refreshed" }), Sender());

        Assert.True(first.Kind == DeliveryOutcomeKind.Delivered, first.Reason);
        Assert.True(second.Kind == DeliveryOutcomeKind.Delivered, second.Reason);
        Assert.NotEqual(before.Token, (await _oauth.GetForScopeAsync(grant.Scope, OAuthProvider.Microsoft365)).Token);
        // One pool per server and account: the session of the old token was replaced, not kept open beside the new one.
        Assert.Equal(1, _agent.OpenConnectionCount);
        await WaitForAsync(subject);
    }

    [MailTestbedFact]
    public async Task CachedToken_IsServedWithoutReadingTheStore_UntilASignInChangesWhoseItIs()
    {
        var counting = new CountingGrantStore(_store);
        _oauth = new OAuthTokenService(counting, new OAuthClient(_http, Options(TimeSpan.FromMinutes(5))), _secrets);
        await SignInAsync(Bed.UserName, ProfileScope.Global);
        var readsAfterSignIn = counting.Reads;

        // a user without an own sign-in sends with the global one: the store is read for the first message only
        var first = await _oauth.GetForSenderAsync("no-own-sign-in", OAuthProvider.Microsoft365);
        var readsAfterFirst = counting.Reads;
        for (var i = 0; i < 5; i++)
            Assert.Same(first, await _oauth.GetForSenderAsync("no-own-sign-in", OAuthProvider.Microsoft365));
        Assert.Equal(ProfileScope.Global, first.GrantScope);
        Assert.Equal(readsAfterSignIn + 2, readsAfterFirst); // the user's own sign-in (none), then the global one
        Assert.Equal(readsAfterFirst, counting.Reads);

        // the user signs in on this node: their own token is used from the next message on
        await SignInAsync(Bed.CatchallUserName, ProfileScope.ForUser("no-own-sign-in"));
        Assert.Equal(ProfileScope.ForUser("no-own-sign-in"), (await _oauth.GetForSenderAsync("no-own-sign-in", OAuthProvider.Microsoft365)).GrantScope);
        // a profile that now authenticates with another provider is not served the cached token
        await Assert.ThrowsAsync<OAuthProblemException>(() => _oauth.GetForSenderAsync("no-own-sign-in", OAuthProvider.Google));
        // and after signing out, the global sign-in serves them again
        await _oauth.SignOutAsync(ProfileScope.ForUser("no-own-sign-in"));
        Assert.Equal(ProfileScope.Global, (await _oauth.GetForSenderAsync("no-own-sign-in", OAuthProvider.Microsoft365)).GrantScope);
    }

    [MailTestbedFact]
    public async Task TokenOfAnotherUser_IsRefusedBySmtp()
    {
        var grant = await SignInAsync(Bed.CatchallUserName, ProfileScope.ForUser("other"));
        var token = await _oauth.GetForScopeAsync(grant.Scope, OAuthProvider.Microsoft365);
        var endpoint = new SmtpEndpoint(Bed.Host, Bed.SubmissionPort, EncryptionMode.StartTls, AuthenticationMethod.OAuth2Microsoft365,
            Bed.UserName, token.Token, Bed.CertificateSha256); // catchall's token, testuser's name

        using var client = SmtpConnector.CreateClient(endpoint, TimeSpan.FromSeconds(15));
        await Assert.ThrowsAsync<AuthenticationException>(() => SmtpConnector.ConnectAndAuthenticateAsync(client, endpoint, SystemHostResolver.Instance, CancellationToken.None));
    }

    [MailTestbedFact]
    public async Task ExpiredAccessToken_IsRefusedBySmtp()
    {
        await Bed.OAuth2.SetAsync("access_ttl", "1");
        var grant = await SignInAsync(Bed.UserName, ProfileScope.ForUser("expired"));
        var token = await _oauth.GetForScopeAsync(grant.Scope, OAuthProvider.Microsoft365);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var endpoint = SmtpEndpoint.From(Sender(), token);

        using var client = SmtpConnector.CreateClient(endpoint, TimeSpan.FromSeconds(15));
        await Assert.ThrowsAsync<AuthenticationException>(() => SmtpConnector.ConnectAndAuthenticateAsync(client, endpoint, SystemHostResolver.Instance, CancellationToken.None));
    }

    [MailTestbedFact]
    public async Task OAuthBearer_IsUsedWhenXOAuth2IsNotOffered_AndTheBedAcceptsIt()
    {
        var grant = await SignInAsync(Bed.UserName, ProfileScope.ForUser("bearer"));
        var token = await _oauth.GetForScopeAsync(grant.Scope, OAuthProvider.Microsoft365);
        Assert.IsType<SaslMechanismOAuthBearer>(SmtpConnector.OAuth2Mechanism(["PLAIN", "OAUTHBEARER"], token.Account, token.Token));
        Assert.IsType<SaslMechanismOAuth2>(SmtpConnector.OAuth2Mechanism(["XOAUTH2", "OAUTHBEARER"], token.Account, token.Token));

        using var client = Bed.CreateSmtpClient();
        await client.ConnectAsync(Bed.Host, Bed.SmtpsPort, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(new SaslMechanismOAuthBearer(token.Account, token.Token));
        Assert.True(client.IsAuthenticated);
        await client.DisconnectAsync(true);
    }

    [MailTestbedFact]
    public async Task SignInAsAnotherAccount_ThanTheProfileSendsAs_IsRefusedAndNotStored()
    {
        var problem = await Assert.ThrowsAsync<OAuthProblemException>(() => SignInAsync(Bed.CatchallUserName, ProfileScope.ForUser("wrong"), expected: Bed.UserName));

        Assert.Equal(OAuthProblemException.WrongAccount, problem.Code);
        Assert.False(_store.Grants.ContainsKey(ProfileScope.ForUser("wrong")));
        // and a stored sign-in that no longer matches the profile's login holds the mail instead of sending as someone else
        await SignInAsync(Bed.CatchallUserName, ProfileScope.ForUser("wrong"));
        var outcome = await _agent.DeliverAsync(Queued(new MessageDraft { To = [Bed.UserName], Subject = "never", TextBody = "x", SenderUserId = "wrong" }), Sender(login: Bed.UserName));
        Assert.Equal(DeliveryOutcomeKind.SenderProblem, outcome.Kind);
        Assert.Contains("You signed in as " + Bed.CatchallUserName, outcome.Reason);
    }

    [MailTestbedFact]
    public async Task NotSignedIn_IsASenderProblemSayingWhatToDo()
    {
        var outcome = await _agent.DeliverAsync(Queued(new MessageDraft { To = [Bed.UserName], Subject = "never", TextBody = "x", SenderUserId = "nobody-" + Guid.NewGuid().ToString("N") }),
            Sender() with { Authentication = AuthenticationMethod.OAuth2Google });

        Assert.Equal(DeliveryOutcomeKind.SenderProblem, outcome.Kind);
        Assert.Contains("Authenticate with Google", outcome.Reason);
    }

    [MailTestbedFact]
    public async Task AppOnlyClientCredentials_SendsAsTheSharedMailbox()
    {
        await Bed.OAuth2.SetAsync("app_mailbox", Bed.UserName); // the app was granted this mailbox
        var grant = await _oauth.SetUpAppOnlyAsync(ProfileScope.ForUser("shared"), OAuthProvider.Microsoft365, Bed.UserName);
        Assert.Equal(OAuthGrantKind.AppOnly, grant.Kind);
        Assert.Null(grant.ProtectedRefreshToken);
        _oauth.Forget(grant.Scope); // the next send fetches a new app-only token itself

        var subject = "oauth-app-only " + Guid.NewGuid().ToString("N");
        var outcome = await _agent.DeliverAsync(Queued(new MessageDraft { To = [Bed.UserName], Subject = subject, TextBody = "x", SenderUserId = "shared" }), Sender());

        Assert.True(outcome.Kind == DeliveryOutcomeKind.Delivered, outcome.Reason);
        await WaitForAsync(subject);
        Assert.Contains("\"grant_type\":\"client_credentials\"", Bed.OAuth2.Log());
    }

    [MailTestbedFact]
    public async Task AppOnlyWithCertificate_SignedAssertion_SendsAsTheSharedMailbox()
    {
        using var registered = SelfSignedCertificate();
        var clientId = "mailroom-cert-" + Guid.NewGuid().ToString("N");
        await Bed.OAuth2.RegisterCertificateClientAsync(clientId, registered); // the server knows only the public key
        await Bed.OAuth2.SetAsync("app_mailbox", Bed.UserName);
        var pfx = WritePfx(registered, "pfx-password");
        try
        {
            var oauth = CertificateService(clientId, pfx, "pfx-password");
            await using var agent = new SmtpDeliveryAgent(new SmtpDeliveryOptions { CommandTimeout = TimeSpan.FromSeconds(15) }, _secrets, oauth: oauth);
            var grant = await oauth.SetUpAppOnlyAsync(ProfileScope.ForUser("cert"), OAuthProvider.Microsoft365, Bed.UserName);
            Assert.Equal(OAuthGrantKind.AppOnly, grant.Kind);
            oauth.Forget(grant.Scope); // the send below signs a new assertion and fetches its own token

            var subject = "oauth-app-only-certificate " + Guid.NewGuid().ToString("N");
            var outcome = await agent.DeliverAsync(Queued(new MessageDraft { To = [Bed.UserName], Subject = subject, TextBody = "x", SenderUserId = "cert" }), Sender());

            Assert.True(outcome.Kind == DeliveryOutcomeKind.Delivered, outcome.Reason);
            await WaitForAsync(subject);
            Assert.Contains($"\"grant_type\":\"client_credentials\",\"client_id\":\"{clientId}\",\"status\":200", Bed.OAuth2.Log());
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    [MailTestbedFact]
    public async Task AppOnlyWithCertificate_TheServerDoesNotKnow_IsRefusedWithTheReason()
    {
        using var registered = SelfSignedCertificate();
        using var other = SelfSignedCertificate(); // same subject, another key: not the one uploaded
        var clientId = "mailroom-cert-" + Guid.NewGuid().ToString("N");
        await Bed.OAuth2.RegisterCertificateClientAsync(clientId, registered);
        await Bed.OAuth2.SetAsync("app_mailbox", Bed.UserName);
        var pfx = WritePfx(other, null);
        try
        {
            var oauth = CertificateService(clientId, pfx, null);
            var problem = await Assert.ThrowsAsync<OAuthProblemException>(() => oauth.SetUpAppOnlyAsync(ProfileScope.ForUser("cert-unknown"), OAuthProvider.Microsoft365, Bed.UserName));

            Assert.Equal(OAuthProblemException.ProviderError, problem.Code);
            Assert.Equal("invalid_client", problem.Data["error"]);
            Assert.Contains("refused: invalid_client", problem.Message);
            Assert.False(problem.IsTransient);
            Assert.Contains($"\"client_id\":\"{clientId}\",\"status\":401", Bed.OAuth2.Log());
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Mailroom test app", rsa,
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static string WritePfx(X509Certificate2 certificate, string? password)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mailroom-app-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    /// <summary>Mailroom configured like a Microsoft 365 app registration with an uploaded certificate: no client secret.</summary>
    private OAuthTokenService CertificateService(string clientId, string pfxPath, string? password)
    {
        var options = Options(TimeSpan.FromMinutes(5));
        options.Microsoft365.ClientId = clientId;
        options.Microsoft365.ClientSecret = null;
        options.Microsoft365.CertificatePath = pfxPath;
        options.Microsoft365.CertificatePassword = password;
        return new OAuthTokenService(new MemoryGrantStore(), new OAuthClient(_http, options), _secrets);
    }

    [MailTestbedFact]
    public async Task DeviceCode_SignsIn_AfterThePersonTypesTheCode()
    {
        var client = _oauth.Client;
        var device = await client.StartDeviceAsync(OAuthProvider.Microsoft365);
        Assert.StartsWith(Bed.OAuth2.Issuer, device.VerificationUri);
        Assert.Null(await client.PollDeviceAsync(OAuthProvider.Microsoft365, device.DeviceCode)); // still pending

        await Bed.OAuth2.ApproveDeviceAsync(device.UserCode, Bed.UserName);
        var tokens = await client.PollDeviceAsync(OAuthProvider.Microsoft365, device.DeviceCode);
        Assert.NotNull(tokens);
        var grant = await _oauth.CompleteSignInAsync(ProfileScope.ForUser("device"), OAuthProvider.Microsoft365, tokens, null);

        Assert.Equal(Bed.UserName, grant.Account);
        var subject = "oauth-device " + Guid.NewGuid().ToString("N");
        Assert.Equal(DeliveryOutcomeKind.Delivered, (await _agent.DeliverAsync(Queued(new MessageDraft { To = [Bed.UserName], Subject = subject, TextBody = "x", SenderUserId = "device" }), Sender())).Kind);
        await WaitForAsync(subject);
    }

    [MailTestbedFact]
    public async Task DeniedConsent_IsConsentMissing()
    {
        var back = await Bed.OAuth2.ConsentAsync(_oauth.Client.AuthorizationUrl(OAuthProvider.Microsoft365, RedirectUri, "s", OAuthClient.Challenge(OAuthClient.NewVerifier()), null),
            Bed.UserName, allow: false);
        var query = System.Web.HttpUtility.ParseQueryString(back.Query);

        Assert.Equal("access_denied", query["error"]);
        Assert.Equal(OAuthProblemException.ConsentMissing, OAuthClient.Problem("Microsoft 365", 400, query["error"]!, "").Code);
    }

    [MailTestbedFact]
    public async Task ConnectionCheck_LogsInWithXOAuth2_AndNamesARefusedToken()
    {
        var grant = await SignInAsync(Bed.UserName, ProfileScope.ForUser("check"));
        var token = await _oauth.GetForScopeAsync(grant.Scope, OAuthProvider.Microsoft365);
        var checker = new SmtpConnectionChecker();

        var ok = await checker.CheckAsync(SmtpEndpoint.From(Sender(), token), new ConnectionCheckOptions(), CancellationToken.None);
        var login = ok.Steps.Single(s => s.Step == ConnectionCheckStep.Authentication);
        Assert.Equal(ConnectionCheckStatus.Ok, login.Status);
        Assert.Equal("oauth2", login.Details["method"]);

        await Bed.OAuth2.RevokeAsync(_secrets.Unprotect(grant.ProtectedRefreshToken!));
        var refused = await checker.CheckAsync(SmtpEndpoint.From(Sender(), token), new ConnectionCheckOptions(), CancellationToken.None);
        var failed = refused.Steps.Single(s => s.Step == ConnectionCheckStep.Authentication);
        Assert.Equal(ConnectionCheckStatus.Failed, failed.Status);
        Assert.Equal("auth.oauth.tokenRefused", failed.Hints.Single().Code);
        Assert.Contains("sign in again", failed.Hints.Single().MessageIn("en"));
        Assert.Contains("zaloguj się ponownie", failed.Hints.Single().MessageIn("pl"));

        var notSignedIn = await checker.CheckAsync(SmtpEndpoint.From(Sender(), (string?)null),
            new ConnectionCheckOptions { OAuthProblem = new OAuthProblemException(OAuthProblemException.SignInAgain, "revoked") }, CancellationToken.None);
        Assert.Equal("auth.oauth.signInAgain", notSignedIn.Steps.Single(s => s.Step == ConnectionCheckStep.Authentication).Hints.Single().Code);
    }
}
