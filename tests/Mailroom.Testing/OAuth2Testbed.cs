using System.Security.Cryptography.X509Certificates;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mailroom.Testing;

/// <summary>
/// Drives the test bed's OAuth2/OIDC server (testbed/oidc/server.js, npm package oidc-provider) the way a
/// person would — over HTTP with cookies, through its own sign-in, consent and device pages — plus its
/// test-bed settings (token lifetime, the app-only mailbox) and its per-user refresh-token counts.
/// </summary>
public sealed class OAuth2Testbed(string issuer, string clientId, string clientSecret, string logPath)
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>http://127.0.0.1:port — every endpoint is below it.</summary>
    public string Issuer { get; } = issuer;
    /// <summary>The confidential client Mailroom is registered as.</summary>
    public string ClientId { get; } = clientId;
    /// <summary>Its secret.</summary>
    public string ClientSecret { get; } = clientSecret;
    /// <summary>One JSON line per request the server handled (never a token).</summary>
    public string LogPath { get; } = logPath;

    /// <summary>Mailroom's configuration for <paramref name="provider"/> ("Microsoft365" or "Google") pointing at this server.</summary>
    public IReadOnlyDictionary<string, string> MailroomSettings(string provider = "Microsoft365") => new Dictionary<string, string>
    {
        [$"Mailroom:OAuth:{provider}:ClientId"] = ClientId,
        [$"Mailroom:OAuth:{provider}:ClientSecret"] = ClientSecret,
        [$"Mailroom:OAuth:{provider}:AuthorizationEndpoint"] = Issuer + "/authorize",
        [$"Mailroom:OAuth:{provider}:TokenEndpoint"] = Issuer + "/token",
        [$"Mailroom:OAuth:{provider}:DeviceAuthorizationEndpoint"] = Issuer + "/devicecode",
        [$"Mailroom:OAuth:{provider}:RevocationEndpoint"] = Issuer + "/revoke",
        [$"Mailroom:OAuth:{provider}:UserInfoEndpoint"] = Issuer + "/userinfo",
    };

    /// <summary>Opens <paramref name="authorizationUrl"/> like a browser, signs in as <paramref name="username"/> on the provider's page and allows (or denies); returns where the browser is sent back.</summary>
    public async Task<Uri> ConsentAsync(string authorizationUrl, string username, bool allow = true)
    {
        using var browser = new Browser(Issuer);
        var page = await browser.OpenAsync(new Uri(authorizationUrl));
        if (page.Html is null) throw new InvalidOperationException($"The provider sent the browser to {page.Url}, not to its sign-in page.");
        var back = await browser.SubmitAsync(page, new Dictionary<string, string> { ["username"] = username, ["action"] = allow ? "allow" : "deny" });
        if (back.Html is not null) throw new InvalidOperationException($"The provider answered the sign-in with a page, not a redirect: {back.Html}");
        return back.Url;
    }

    /// <summary>Opens the device page, types <paramref name="userCode"/>, confirms, and signs in as <paramref name="username"/> — as a person would.</summary>
    public async Task ApproveDeviceAsync(string userCode, string username, bool allow = true)
    {
        using var browser = new Browser(Issuer);
        var page = await browser.OpenAsync(new Uri(Issuer + "/device"));
        page = await browser.SubmitAsync(page, new Dictionary<string, string> { ["user_code"] = userCode }); // "Continue"
        page = await browser.SubmitAsync(page, new Dictionary<string, string>());                           // confirm the code
        page = await browser.SubmitAsync(page, new Dictionary<string, string> { ["username"] = username, ["action"] = allow ? "allow" : "deny" });
        if (allow && page.Html?.Contains("id=\"result\"", StringComparison.Ordinal) != true)
            throw new InvalidOperationException("The device sign-in did not finish: " + page.Html);
    }

    /// <summary>The server forgets <paramref name="accessToken"/> early, as if it expired before Mailroom thought; its grant stays valid.</summary>
    public async Task ExpireAsync(string accessToken)
    {
        using var answer = await Http.PostAsync(Issuer + "/control/expire", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = accessToken }));
        answer.EnsureSuccessStatusCode();
    }

    /// <summary>Revokes a token as RFC 7009 says (a refresh token takes its whole grant with it).</summary>
    public async Task RevokeAsync(string token)
    {
        using var answer = await Http.PostAsync(Issuer + "/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token, ["client_id"] = ClientId, ["client_secret"] = ClientSecret,
        }));
        answer.EnsureSuccessStatusCode();
    }

    /// <summary>Redeems <paramref name="refreshToken"/> directly; returns the OAuth2 error, or null when it worked.</summary>
    public async Task<string?> TryRefreshAsync(string refreshToken)
    {
        using var answer = await Http.PostAsync(Issuer + "/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = ClientId, ["client_secret"] = ClientSecret,
        }));
        if (answer.IsSuccessStatusCode) return null;
        return (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
    }

    /// <summary>Changes the server's behaviour: access_ttl (seconds), app_mailbox (client credentials act for it), smtp_denied_users.</summary>
    public async Task SetAsync(string name, string value)
    {
        using var answer = await Http.PostAsync(Issuer + "/control/settings", new FormUrlEncodedContent(new Dictionary<string, string> { [name] = value }));
        answer.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Registers an app-only client <paramref name="clientId"/> that authenticates with <c>private_key_jwt</c>
    /// (RFC 7523): the server knows only <paramref name="certificate"/>'s public RSA key, as a JWK.
    /// </summary>
    public async Task RegisterCertificateClientAsync(string clientId, X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPublicKey() ?? throw new ArgumentException("Not an RSA certificate.", nameof(certificate));
        var key = rsa.ExportParameters(includePrivateParameters: false);
        var jwks = JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = "RS256", n = Base64Url(key.Modulus!), e = Base64Url(key.Exponent!) },
            },
        });
        using var answer = await Http.PostAsync(Issuer + "/control/client", new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = clientId, ["jwks"] = jwks }));
        answer.EnsureSuccessStatusCode();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Per user: active_refresh_tokens, revoked_refresh_tokens (rotated away, revoked or reused).</summary>
    public async Task<JsonElement> StatsAsync(string username)
    {
        var all = await Http.GetFromJsonAsync<JsonElement>(Issuer + "/control/stats");
        return all.TryGetProperty(username, out var stats) ? stats : default;
    }

    /// <summary>What the server logged, as text.</summary>
    public string Log() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    /// <summary>A tiny cookie-keeping browser: follows redirects on the provider, stops at any other host; fills and submits the page's form.</summary>
    private sealed class Browser(string issuer) : IDisposable
    {
        private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true })
        { Timeout = TimeSpan.FromSeconds(15) };

        public sealed record Page(Uri Url, string? Html);

        public Task<Page> OpenAsync(Uri url) => FollowAsync(new HttpRequestMessage(HttpMethod.Get, url));

        /// <summary>Posts the page's first form (its hidden and named inputs, overridden by <paramref name="fields"/>) to its action.</summary>
        public Task<Page> SubmitAsync(Page page, IReadOnlyDictionary<string, string> fields)
        {
            var html = page.Html ?? throw new InvalidOperationException($"No page to submit at {page.Url}.");
            var form = System.Text.RegularExpressions.Regex.Match(html, "<form[^>]*action=\"([^\"]*)\"[^>]*>(.*?)</form>", System.Text.RegularExpressions.RegexOptions.Singleline);
            if (!form.Success) throw new InvalidOperationException($"No form on {page.Url}: {html}");
            var values = new Dictionary<string, string>();
            foreach (System.Text.RegularExpressions.Match input in System.Text.RegularExpressions.Regex.Matches(form.Groups[2].Value, "<input[^>]*>"))
            {
                var name = Attribute(input.Value, "name");
                if (name is not null) values[name] = WebUtility.HtmlDecode(Attribute(input.Value, "value") ?? "");
            }
            foreach (var (key, value) in fields) values[key] = value;
            var action = new Uri(page.Url, WebUtility.HtmlDecode(form.Groups[1].Value));
            return FollowAsync(new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(values) });
        }

        private static string? Attribute(string tag, string name)
        {
            var match = System.Text.RegularExpressions.Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"");
            return match.Success ? match.Groups[1].Value : null;
        }

        private async Task<Page> FollowAsync(HttpRequestMessage first)
        {
            var request = first;
            for (var hop = 0; hop < 10; hop++)
            {
                var url = request.RequestUri!;
                Uri next;
                try
                {
                    using var answer = await _http.SendAsync(request);
                    if (answer.Headers.Location is null)
                    {
                        var html = await answer.Content.ReadAsStringAsync();
                        if (!answer.IsSuccessStatusCode) throw new InvalidOperationException($"{url} answered {(int)answer.StatusCode}: {html}");
                        return new Page(url, html);
                    }
                    next = new Uri(url, answer.Headers.Location);
                }
                finally
                {
                    request.Dispose();
                }
                if (!next.AbsoluteUri.StartsWith(issuer + "/", StringComparison.Ordinal)) return new Page(next, null); // back to the application
                request = new HttpRequestMessage(HttpMethod.Get, next);
            }
            request.Dispose();
            throw new InvalidOperationException("Too many redirects at the OAuth2 server.");
        }

        public void Dispose() => _http.Dispose();
    }
}
