using System.Text.Encodings.Web;
using System.Text.Json;
using Mailroom.Core.OAuth;
using Mailroom.Core.Settings;
using Mailroom.Server.Security;
using Mailroom.Server.WebUi;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;

namespace Mailroom.Server.OAuth;

/// <summary>
/// "Authenticate with Microsoft 365 / Google" from the settings pages: the authorization-code flow
/// with PKCE (S256) and state. What the callback needs (state, verifier, profile, who started it) travels
/// in a short-lived cookie encrypted with the app's data-protection keys, so no server keeps flow
/// state and any node can take the callback.
/// </summary>
public static class OAuthBrowserSignIn
{
    /// <summary>The cookie holding the flow in progress.</summary>
    public const string FlowCookie = "mailroom-oauth-flow";

    /// <summary>The path the provider sends the browser back to.</summary>
    public const string CallbackPath = "/oauth/callback";

    private static readonly TimeSpan FlowLifetime = TimeSpan.FromMinutes(10);

    /// <summary>What the callback must know; encrypted in <see cref="FlowCookie"/>.</summary>
    private sealed record Flow(string State, string Verifier, string Scope, string Provider, string ReturnUrl, string? ExpectedAccount, string StartedBy, DateTimeOffset ExpiresAt);

    internal static IEndpointRouteBuilder MapOAuthBrowserSignIn(this IEndpointRouteBuilder app)
    {
        // A link, not a form: the page's CSP (form-action 'self') would stop a form's redirect to the
        // provider. A cross-site GET cannot start it for someone: the session cookie is SameSite=Strict.
        app.MapGet("/oauth/start", StartAsync).RequireAuthorization(WebUiAuthentication.PolicyName).ExcludeFromDescription();
        app.MapPost("/oauth/signout", SignOutAsync).RequireAuthorization(WebUiAuthentication.PolicyName).ExcludeFromDescription();
        // Anonymous on purpose: the session cookie is SameSite=Strict and does not come along on the
        // provider's cross-site redirect; the encrypted flow cookie says who started the sign-in.
        app.MapGet(CallbackPath, CallbackAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IDataProtector Protector(IDataProtectionProvider provider) => provider.CreateProtector("Mailroom.OAuth.BrowserFlow");

    /// <summary>The redirect URI registered with the provider: configured, or this server's own address.</summary>
    private static string RedirectUri(HttpContext context, OAuthOptions options) =>
        options.RedirectUri ?? $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{CallbackPath}";

    private static async Task<IResult> StartAsync(HttpContext context, OAuthTokenService oauth, SenderSettingsService settings,
        IDataProtectionProvider protection, TimeProvider time, CancellationToken ct)
    {
        var form = context.Request.Query;
        var returnUrl = LocalReturnUrl(form["returnUrl"]);
        if (OAuthScopes.Resolve(form["scope"], context.User) is not { } scope) return Results.Forbid();
        if (OAuthProviders.Parse(form["provider"]) is not { } provider) return Results.Redirect(WithOutcome(returnUrl, "providerError"));
        if (!oauth.Client.Options.For(provider).IsConfigured) return Results.Redirect(WithOutcome(returnUrl, "notConfigured"));

        var (effective, _) = await settings.PreviewAsync(scope, null, ct);
        var expected = effective?.Login is { Length: > 0 } login ? login : null;
        var verifier = OAuthClient.NewVerifier();
        var flow = new Flow(OAuthClient.NewState(), verifier, scope.ToString(), OAuthProviders.Name(provider), returnUrl, expected,
            context.User.Id(), time.GetUtcNow() + FlowLifetime);
        context.Response.Cookies.Append(FlowCookie, Protector(protection).Protect(JsonSerializer.Serialize(flow)), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax, // must come back on the provider's top-level redirect
            Secure = context.Request.IsHttps,
            Path = CallbackPath,
            MaxAge = FlowLifetime,
            IsEssential = true,
        });
        return Results.Redirect(oauth.Client.AuthorizationUrl(provider, RedirectUri(context, oauth.Client.Options), flow.State, OAuthClient.Challenge(verifier), expected));
    }

    private static async Task<IResult> CallbackAsync(HttpContext context, OAuthTokenService oauth, IDataProtectionProvider protection, TimeProvider time,
        ILogger<OAuthTokenService> log, CancellationToken ct)
    {
        var query = context.Request.Query;
        Flow? flow = null;
        if (context.Request.Cookies[FlowCookie] is { } cookie)
        {
            try
            {
                flow = JsonSerializer.Deserialize<Flow>(Protector(protection).Unprotect(cookie));
            }
            catch (Exception broken) when (broken is System.Security.Cryptography.CryptographicException or JsonException)
            {
                flow = null;
            }
        }
        context.Response.Cookies.Delete(FlowCookie, new CookieOptions { Path = CallbackPath });
        if (flow is null || flow.ExpiresAt < time.GetUtcNow() || !string.Equals(flow.State, query["state"], StringComparison.Ordinal))
            return Continue(context, WithOutcome("/", "stateMismatch"));

        var provider = OAuthProviders.Parse(flow.Provider)!.Value;
        var scope = StoredOAuthGrants.ParseScope(flow.Scope);
        if (query["error"] is { Count: > 0 } error)
        {
            var problem = OAuthClient.Problem(OAuthProviders.DisplayName(provider), 400, error.ToString(), query["error_description"].ToString());
            log.LogWarning("OAuth2 sign-in for {Scope} with {Provider} ended with {Error}", scope, provider, error.ToString());
            return Continue(context, WithOutcome(flow.ReturnUrl, Reason(problem)));
        }
        try
        {
            var tokens = await oauth.Client.ExchangeCodeAsync(provider, query["code"].ToString(), RedirectUri(context, oauth.Client.Options), flow.Verifier, ct);
            var grant = await oauth.CompleteSignInAsync(scope, provider, tokens, flow.ExpectedAccount, ct);
            log.LogInformation("OAuth2 sign-in for {Scope} with {Provider} as {Account}, started by {User}", scope, provider, grant.Account, flow.StartedBy);
            return Continue(context, WithOutcome(flow.ReturnUrl, "authenticated"));
        }
        catch (OAuthProblemException problem)
        {
            log.LogWarning("OAuth2 sign-in for {Scope} with {Provider} failed: {Reason}", scope, provider, problem.Message);
            return Continue(context, WithOutcome(flow.ReturnUrl, Reason(problem)));
        }
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery, OAuthTokenService oauth, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context)) return Results.BadRequest();
        var form = await context.Request.ReadFormAsync(ct);
        var returnUrl = LocalReturnUrl(form["returnUrl"]);
        if (OAuthScopes.Resolve(form["scope"], context.User) is not { } scope) return Results.Forbid();
        await oauth.SignOutAsync(scope, ct);
        return Results.Redirect(WithOutcome(returnUrl, "signedOut"));
    }

    /// <summary>"signInAgain", "consentMissing", … — the last part of the problem's code.</summary>
    public static string Reason(OAuthProblemException problem) => problem.Code[(problem.Code.LastIndexOf('.') + 1)..];

    /// <summary>
    /// A same-site page that moves on to <paramref name="url"/>: after the provider's cross-site
    /// redirect the browser withholds the SameSite=Strict session cookie, and a navigation started by
    /// our own page brings it back.
    /// </summary>
    private static IResult Continue(HttpContext context, string url)
    {
        var encoded = HtmlEncoder.Default.Encode(url);
        return Results.Content(
            $"<!doctype html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url={encoded}\"><title>Mailroom</title></head>" +
            $"<body><p><a href=\"{encoded}\">Mailroom</a></p></body></html>", "text/html; charset=utf-8");
    }

    private static string LocalReturnUrl(string? url) =>
        url is { Length: > 1 } local && local.StartsWith('/') && !local.StartsWith("//", StringComparison.Ordinal) && !local.Contains('\\') ? local : "/";

    private static string WithOutcome(string url, string outcome)
    {
        var withoutQuery = url.Split('?')[0];
        return $"{withoutQuery}?oauth={Uri.EscapeDataString(outcome)}#oauth";
    }
}
