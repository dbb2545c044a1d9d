using Mailroom.Core.OAuth;
using Microsoft.Extensions.Options;

namespace Mailroom.Server.OAuth;

/// <summary>The OAuth2 steps of Program.cs: options, the token service, the sign-in endpoints.</summary>
public static class OAuthHosting
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Mailroom:OAuth";

    /// <summary>Binds <c>Mailroom:OAuth</c> and registers the OAuth2 client and token service (used by delivery and the connection check).</summary>
    public static WebApplicationBuilder AddMailroomOAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OAuthOptions>()
            .Bind(builder.Configuration.GetSection(Section))
            .Validate(o => o.RefreshBeforeExpiry >= TimeSpan.Zero, "Mailroom:OAuth:RefreshBeforeExpiry must not be negative.")
            .Validate(o => o.HttpTimeout >= TimeSpan.FromSeconds(1), "Mailroom:OAuth:HttpTimeout must be at least one second.")
            .Validate(o => string.IsNullOrEmpty(o.Microsoft365.CertificatePath) || File.Exists(o.Microsoft365.CertificatePath),
                "Mailroom:OAuth:Microsoft365:CertificatePath names a file that does not exist.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<OAuthOptions>>().Value);
        builder.Services.AddSingleton(sp => new OAuthClient(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false }),
            sp.GetRequiredService<OAuthOptions>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<OAuthTokenService>();
        builder.Services.AddSingleton<IOAuthTokenSource>(sp => sp.GetRequiredService<OAuthTokenService>());
        builder.Services.AddSingleton<DeviceSignIns>();
        return builder;
    }

    /// <summary>The browser sign-in (start, callback) and the API (device code, app-only, status, sign-out).</summary>
    public static WebApplication MapMailroomOAuth(this WebApplication app)
    {
        app.MapOAuthBrowserSignIn();
        app.MapOAuthApi();
        return app;
    }
}
