using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mailroom.Testing;

/// <summary>
/// Drives testbed/oauth2-server.py the way a person (or an administrator) would: the consent form,
/// the device page, revoking a sign-in; and reads its per-user refresh-token counts.
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

    /// <summary>Answers the consent form of <paramref name="authorizationUrl"/> as <paramref name="username"/>; returns where the browser would be sent back.</summary>
    public async Task<Uri> ConsentAsync(string authorizationUrl, string username, bool allow = true)
    {
        using (var page = await Http.GetAsync(authorizationUrl))
            page.EnsureSuccessStatusCode(); // the form is served: client, redirect and PKCE were accepted
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(authorizationUrl).Query);
        var form = new Dictionary<string, string>
        {
            ["username"] = username,
            ["action"] = allow ? "allow" : "deny",
        };
        foreach (var key in new[] { "client_id", "redirect_uri", "scope", "state", "code_challenge", "nonce" })
            form[key] = query[key] ?? "";
        using var answer = await Http.PostAsync(Issuer + "/authorize", new FormUrlEncodedContent(form));
        if (answer.StatusCode != HttpStatusCode.Found || answer.Headers.Location is null)
            throw new InvalidOperationException($"The consent form answered {(int)answer.StatusCode}, not a redirect.");
        return answer.Headers.Location;
    }

    /// <summary>Types <paramref name="userCode"/> on the device page and signs in as <paramref name="username"/>.</summary>
    public async Task ApproveDeviceAsync(string userCode, string username, bool allow = true)
    {
        using var answer = await Http.PostAsync(Issuer + "/device", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user_code"] = userCode, ["username"] = username, ["action"] = allow ? "allow" : "deny",
        }));
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

    /// <summary>Per user: active_refresh_tokens, revoked_refresh_tokens, reuse_detected.</summary>
    public async Task<JsonElement> StatsAsync(string username)
    {
        var all = await Http.GetFromJsonAsync<JsonElement>(Issuer + "/control/stats");
        return all.TryGetProperty(username, out var stats) ? stats : default;
    }

    /// <summary>What the server logged, as text.</summary>
    public string Log() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";
}
