using Mailroom.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Mailroom.Server.WebUi;

/// <summary>
/// Two ways in: API keys (Bearer) for the HTTP API and a session cookie for people in the web UI.
/// A policy scheme picks one per request.
/// </summary>
public static class WebUiAuthentication
{
    /// <summary>The default scheme, which forwards to <see cref="ApiKeyAuthenticationHandler.SchemeName"/> or <see cref="CookieScheme"/>.</summary>
    public const string PolicyScheme = "Mailroom";

    /// <summary>The web UI's session cookie scheme.</summary>
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>The authorization policy the pages require: a person signed in with the cookie.</summary>
    public const string PolicyName = "WebUi";

    /// <summary>
    /// Bearer when an Authorization header is present, and always under <c>/api</c>: the API is never
    /// cookie-authenticated, so a page on another site cannot make a signed-in browser call it, and its
    /// JSON endpoints need no anti-forgery tokens. The cookie otherwise.
    /// </summary>
    public static string SelectScheme(HttpContext context) =>
        context.Request.Headers.ContainsKey("Authorization") || context.Request.Path.StartsWithSegments("/api")
            ? ApiKeyAuthenticationHandler.SchemeName
            : CookieScheme;

    /// <summary>
    /// Registers the policy scheme, the API-key handler and the cookie; the session lasts
    /// <c>Mailroom:Security:SessionTimeout</c> without activity (sliding).
    /// </summary>
    public static AuthenticationBuilder AddMailroomSchemes(this IServiceCollection services)
    {
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme)
            .Configure<Microsoft.Extensions.Options.IOptions<MailroomOptions>>((cookie, options) =>
            {
                cookie.ExpireTimeSpan = options.Value.Security.SessionTimeout;
                cookie.SlidingExpiration = true;
            });
        return services.AddAuthentication(PolicyScheme)
            .AddPolicyScheme(PolicyScheme, "API key or session cookie", o => o.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "mailroom-session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure whenever served over HTTPS
                o.LoginPath = "/signin";
                o.LogoutPath = "/signout";
                o.AccessDeniedPath = "/forbidden";
            });
    }
}
