using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Mailroom.Core.OAuth;

/// <summary>Tokens from a token endpoint. <see cref="ToString"/> shows no token.</summary>
public sealed class OAuthTokens(string accessToken, string? refreshToken, DateTimeOffset expiresAt, string? idToken)
{
    /// <summary>The bearer token SMTP XOAUTH2 sends.</summary>
    public string AccessToken { get; } = accessToken;
    /// <summary>The (new) refresh token, if the provider sent one.</summary>
    public string? RefreshToken { get; } = refreshToken;
    /// <summary>When <see cref="AccessToken"/> stops working.</summary>
    public DateTimeOffset ExpiresAt { get; } = expiresAt;
    /// <summary>The OpenID Connect id_token, if any.</summary>
    public string? IdToken { get; } = idToken;
    /// <summary>Never the tokens themselves.</summary>
    public override string ToString() => $"OAuth tokens expiring {ExpiresAt:u}";
}

/// <summary>What a device-code sign-in shows the person.</summary>
/// <param name="DeviceCode">Secret between Mailroom and the provider; never shown.</param>
/// <param name="UserCode">The code the person types.</param>
/// <param name="VerificationUri">Where they type it.</param>
/// <param name="ExpiresAt">When the code stops working.</param>
/// <param name="Interval">How often to poll.</param>
public sealed record DeviceAuthorization(string DeviceCode, string UserCode, string VerificationUri, DateTimeOffset ExpiresAt, TimeSpan Interval)
{
    /// <summary>Never the device code.</summary>
    public override string ToString() => $"device sign-in {UserCode} at {VerificationUri}";
}

/// <summary>
/// Plain OAuth2 over HttpClient against configurable endpoints (see docs/oauth.md for why not
/// MSAL): authorization URL with PKCE, code exchange, refresh, client credentials (secret or
/// certificate assertion), device code, revocation and the account behind a token.
/// </summary>
public sealed class OAuthClient(HttpClient http, OAuthOptions options, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The options in force.</summary>
    public OAuthOptions Options => options;

    /// <summary>A new PKCE code verifier (43+ characters of base64url).</summary>
    public static string NewVerifier() => Base64Url(RandomNumberGenerator.GetBytes(48));

    /// <summary>A random state or nonce value.</summary>
    public static string NewState() => Base64Url(RandomNumberGenerator.GetBytes(24));

    /// <summary>The S256 code challenge of <paramref name="verifier"/>.</summary>
    public static string Challenge(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>Where to send the browser to sign in (authorization code + PKCE S256 + state).</summary>
    public string AuthorizationUrl(OAuthProvider provider, string redirectUri, string state, string codeChallenge, string? loginHint)
    {
        var endpoints = options.EndpointsFor(provider);
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = RequireClientId(provider),
            ["response_type"] = "code",
            ["redirect_uri"] = redirectUri,
            ["scope"] = endpoints.Scopes,
            ["state"] = state,
            ["code_challenge"] = codeChallenge,
            ["code_challenge_method"] = "S256",
            ["login_hint"] = loginHint,
        };
        if (provider == OAuthProvider.Google)
        {
            query["access_type"] = "offline"; // Google's way to ask for a refresh token
            query["prompt"] = "consent";
        }
        var separator = endpoints.Authorization.Contains('?') ? "&" : "?";
        return endpoints.Authorization + separator + string.Join("&", query.Where(p => !string.IsNullOrEmpty(p.Value))
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value!)));
    }

    /// <summary>Exchanges an authorization code (with its PKCE verifier) for tokens.</summary>
    /// <exception cref="OAuthProblemException">The provider refused or could not be reached.</exception>
    public Task<OAuthTokens> ExchangeCodeAsync(OAuthProvider provider, string code, string redirectUri, string verifier, CancellationToken cancellationToken = default) =>
        TokenAsync(provider, new()
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirectUri, ["code_verifier"] = verifier,
        }, cancellationToken);

    /// <summary>Redeems a refresh token; the answer usually carries a new (rotated) one.</summary>
    /// <exception cref="OAuthProblemException">Revoked or expired grant (<see cref="OAuthProblemException.SignInAgain"/>), or another failure.</exception>
    public Task<OAuthTokens> RefreshAsync(OAuthProvider provider, string refreshToken, CancellationToken cancellationToken = default) =>
        TokenAsync(provider, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["scope"] = options.EndpointsFor(provider).Scopes }, cancellationToken);

    /// <summary>An app-only token (client credentials).</summary>
    /// <exception cref="OAuthProblemException">The provider refused or could not be reached.</exception>
    public Task<OAuthTokens> ClientCredentialsAsync(OAuthProvider provider, CancellationToken cancellationToken = default) =>
        TokenAsync(provider, new() { ["grant_type"] = "client_credentials", ["scope"] = options.EndpointsFor(provider).AppOnlyScope }, cancellationToken);

    /// <summary>Starts a device-code sign-in (RFC 8628).</summary>
    /// <exception cref="OAuthProblemException">The provider refused or could not be reached.</exception>
    public async Task<DeviceAuthorization> StartDeviceAsync(OAuthProvider provider, CancellationToken cancellationToken = default)
    {
        var endpoints = options.EndpointsFor(provider);
        using var answer = await PostAsync(provider, endpoints.DeviceAuthorization, new() { ["scope"] = endpoints.Scopes }, cancellationToken);
        var root = answer.RootElement;
        return new DeviceAuthorization(
            Text(root, "device_code") ?? throw Malformed("device_code"),
            Text(root, "user_code") ?? throw Malformed("user_code"),
            Text(root, "verification_uri") ?? Text(root, "verification_url") ?? throw Malformed("verification_uri"),
            _time.GetUtcNow().AddSeconds(Number(root, "expires_in") ?? 900),
            TimeSpan.FromSeconds(Math.Max(1, Number(root, "interval") ?? 5)));
    }

    /// <summary>Asks once whether the person finished a device sign-in: tokens, or null while pending.</summary>
    /// <exception cref="OAuthProblemException">Denied (<see cref="OAuthProblemException.ConsentMissing"/>), expired or failed.</exception>
    public async Task<OAuthTokens?> PollDeviceAsync(OAuthProvider provider, string deviceCode, CancellationToken cancellationToken = default)
    {
        try
        {
            return await TokenAsync(provider, new()
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code", ["device_code"] = deviceCode,
                ["client_id"] = options.For(provider).ClientId, // Google names it device_code + client_id
            }, cancellationToken);
        }
        catch (OAuthProblemException problem) when (problem.Data["error"] is "authorization_pending" or "slow_down")
        {
            return null;
        }
    }

    /// <summary>Revokes a refresh token where the provider offers revocation; failures are ignored (the local copy is gone anyway).</summary>
    public async Task RevokeAsync(OAuthProvider provider, string token, CancellationToken cancellationToken = default)
    {
        if (options.EndpointsFor(provider).Revocation is not { } endpoint) return;
        try
        {
            using var _ = await PostAsync(provider, endpoint, new() { ["token"] = token, ["token_type_hint"] = "refresh_token" }, cancellationToken);
        }
        catch (OAuthProblemException) { }
    }

    /// <summary>The account (e-mail address) the tokens belong to: from the id_token, else from userinfo.</summary>
    /// <exception cref="OAuthProblemException">Neither names an account.</exception>
    public async Task<string> AccountOfAsync(OAuthProvider provider, OAuthTokens tokens, CancellationToken cancellationToken = default)
    {
        // The id_token came straight from the token endpoint over the connection we opened, so its
        // claims can be read without checking the signature (OpenID Connect Core 3.1.3.7).
        if (tokens.IdToken is { } idToken && AccountIn(ReadJwtPayload(idToken)) is { } fromIdToken) return fromIdToken;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, options.EndpointsFor(provider).UserInfo);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
            using var timeout = Timeout(cancellationToken);
            using var response = await http.SendAsync(request, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
                if (AccountIn(document.RootElement) is { } fromUserInfo) return fromUserInfo;
            }
        }
        catch (Exception error) when (error is HttpRequestException or JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new OAuthProblemException(OAuthProblemException.ProviderError, $"The account could not be read from {OAuthProviders.DisplayName(provider)}: {error.Message}", error);
        }
        throw new OAuthProblemException(OAuthProblemException.ProviderError,
            $"{OAuthProviders.DisplayName(provider)} did not say which account signed in (no e-mail in the id_token or userinfo); add the 'openid email' scopes.");
    }

    private static string? AccountIn(JsonElement? claims)
    {
        if (claims is not { ValueKind: JsonValueKind.Object } c) return null;
        foreach (var name in new[] { "email", "preferred_username", "upn" })
            if (Text(c, name) is { } value && value.Contains('@')) return value;
        return null;
    }

    private static JsonElement? ReadJwtPayload(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length < 2) return null;
        try
        {
            var padded = parts[1].Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            using var document = JsonDocument.Parse(Convert.FromBase64String(padded));
            return document.RootElement.Clone();
        }
        catch (Exception error) when (error is FormatException or JsonException)
        {
            return null;
        }
    }

    private async Task<OAuthTokens> TokenAsync(OAuthProvider provider, Dictionary<string, string?> form, CancellationToken cancellationToken)
    {
        using var answer = await PostAsync(provider, options.EndpointsFor(provider).Token, form, cancellationToken);
        var root = answer.RootElement;
        return new OAuthTokens(
            Text(root, "access_token") ?? throw Malformed("access_token"),
            Text(root, "refresh_token"),
            _time.GetUtcNow().AddSeconds(Number(root, "expires_in") ?? 3600),
            Text(root, "id_token"));
    }

    private async Task<JsonDocument> PostAsync(OAuthProvider provider, string endpoint, Dictionary<string, string?> form, CancellationToken cancellationToken)
    {
        var name = OAuthProviders.DisplayName(provider);
        form["client_id"] = RequireClientId(provider);
        AddClientAuthentication(provider, endpoint, form);
        using var content = new FormUrlEncodedContent(form.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string>(p.Key, p.Value!)));
        HttpResponseMessage response;
        string body;
        using var timeout = Timeout(cancellationToken);
        try
        {
            response = await http.PostAsync(endpoint, content, timeout.Token);
            body = await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (Exception error) when (error is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new OAuthProblemException(OAuthProblemException.ProviderError, $"{name} could not be reached ({new Uri(endpoint).Authority}): {error.Message}", error) { IsTransient = true };
        }
        using (response)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException error)
            {
                throw new OAuthProblemException(OAuthProblemException.ProviderError,
                    $"{name} answered HTTP {(int)response.StatusCode} without JSON.", error) { IsTransient = (int)response.StatusCode >= 500 };
            }
            if (response.IsSuccessStatusCode) return document;
            using (document)
            {
                throw Problem(name, (int)response.StatusCode, Text(document.RootElement, "error") ?? "", Text(document.RootElement, "error_description") ?? "");
            }
        }
    }

    /// <summary>The problem for an OAuth2 error answer (RFC 6749 5.2, Entra's AADSTS codes).</summary>
    public static OAuthProblemException Problem(string providerName, int status, string error, string description)
    {
        var code = error switch
        {
            "invalid_grant" when description.Contains("AADSTS65001", StringComparison.Ordinal) => OAuthProblemException.ConsentMissing,
            "invalid_grant" or "expired_token" => OAuthProblemException.SignInAgain,
            "access_denied" or "consent_required" or "interaction_required" => OAuthProblemException.ConsentMissing,
            _ when description.Contains("AADSTS65001", StringComparison.Ordinal) => OAuthProblemException.ConsentMissing,
            _ => OAuthProblemException.ProviderError,
        };
        var problem = new OAuthProblemException(code, $"{providerName} refused: {error}{(description.Length > 0 ? " — " + description : "")}")
        {
            IsTransient = status >= 500 || error == "temporarily_unavailable",
        };
        problem.Data["error"] = error;
        return problem;
    }

    private void AddClientAuthentication(OAuthProvider provider, string endpoint, Dictionary<string, string?> form)
    {
        var o = options.For(provider);
        if (!string.IsNullOrEmpty(o.CertificatePath))
        {
            form["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
            form["client_assertion"] = ClientAssertion(o, endpoint);
        }
        else if (!string.IsNullOrEmpty(o.ClientSecret))
        {
            form["client_secret"] = o.ClientSecret;
        }
    }

    /// <summary>A signed JWT (RS256) proving the app holds the registered certificate's key (RFC 7523).</summary>
    private string ClientAssertion(OAuthProviderOptions o, string audience)
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(o.CertificatePath!, o.CertificatePassword);
        using var key = certificate.GetRSAPrivateKey() ?? throw new OAuthProblemException(OAuthProblemException.NotConfigured,
            $"The certificate {o.CertificatePath} has no RSA private key.");
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["alg"] = "RS256", ["typ"] = "JWT", ["x5t#S256"] = Base64Url(certificate.GetCertHash(HashAlgorithmName.SHA256)),
            ["x5t"] = Base64Url(certificate.GetCertHash()),
        });
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["aud"] = audience, ["iss"] = o.ClientId!, ["sub"] = o.ClientId!, ["jti"] = Guid.NewGuid().ToString(),
            ["nbf"] = now, ["iat"] = now, ["exp"] = now + 600,
        });
        var signingInput = Base64Url(header) + "." + Base64Url(payload);
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private string RequireClientId(OAuthProvider provider) =>
        options.For(provider).ClientId is { Length: > 0 } id ? id
            : throw new OAuthProblemException(OAuthProblemException.NotConfigured,
                $"OAuth2 for {OAuthProviders.DisplayName(provider)} is not configured: set Mailroom:OAuth:{provider}:ClientId (see docs/oauth.md).");

    private CancellationTokenSource Timeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(options.HttpTimeout);
        return source;
    }

    private static OAuthProblemException Malformed(string field) =>
        new(OAuthProblemException.ProviderError, $"The provider's answer has no {field}.");

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.Number ? value.GetDouble()
            : value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : null
            : null;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
