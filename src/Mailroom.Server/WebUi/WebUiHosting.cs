using System.Reflection;
using Mailroom.Server.Security;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Mailroom.Server.WebUi;

/// <summary>The web UI's named steps: Razor Pages, the session cookie, and the two static assets.</summary>
public static class WebUiHosting
{
    /// <summary>The name of the cookie that remembers the chosen language ("pl" or "en").</summary>
    public const string LanguageCookie = "mailroom-lang";

    /// <summary>Razor Pages with anti-forgery on every form (the Razor Pages default for POST).</summary>
    public static WebApplicationBuilder AddMailroomWebUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(o =>
        {
            // Every page needs a signed-in person except the sign-in page and the language switch.
            o.Conventions.AuthorizeFolder("/", WebUiAuthentication.PolicyName);
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AllowAnonymousToPage("/Language");
            o.Conventions.AllowAnonymousToPage("/Forbidden");
            o.Conventions.AuthorizeFolder("/Admin", CurrentUser.AdministratorPolicy);
            o.Conventions.AuthorizePage("/Settings/Server", CurrentUser.AdministratorPolicy);
        });
        builder.Services.AddUiViewServices();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "mailroom-antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return builder;
    }

    /// <summary>The pages and <c>/ui/site.css</c>, <c>/ui/site.js</c> (embedded, so no wwwroot has to travel with the binary).</summary>
    public static WebApplication MapMailroomWebUi(this WebApplication app)
    {
        app.UseUiSecurityHeaders();
        app.MapGet("/ui/site.css", () => Asset("site.css", "text/css; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/ui/site.js", () => Asset("site.js", "text/javascript; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/ui/mailings.js", () => Asset("mailings.js", "text/javascript; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapRazorPages();
        return app;
    }

    private static IResult Asset(string name, string contentType)
    {
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Mailroom.Server.WebUi.Assets." + name)
            ?? throw new InvalidOperationException($"The embedded asset {name} is missing from the build.");
        return TypedResults.Stream(stream, contentType);
    }
}
