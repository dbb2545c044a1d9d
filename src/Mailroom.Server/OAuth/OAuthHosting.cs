using Mailroom.Core.OAuth;

namespace Mailroom.Server.OAuth;

/// <summary>The OAuth2 steps of Program.cs: options, the token service, the sign-in endpoints.</summary>
public static class OAuthHosting
{
    /// <summary>
    /// Registers the OAuth2 client and token service (used by delivery and the connection check),
    /// configured by <c>Mailroom:OAuth</c> (<see cref="MailroomOptions.OAuth"/>, validated with the other options).
    /// </summary>
    public static WebApplicationBuilder AddMailroomOAuth(this WebApplicationBuilder builder)
    {
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
