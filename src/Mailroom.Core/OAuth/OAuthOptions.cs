namespace Mailroom.Core.OAuth;

/// <summary>The OAuth2 providers Mailroom signs in to for SMTP.</summary>
public enum OAuthProvider
{
    /// <summary>Microsoft 365 (Microsoft Entra ID); SMTP at smtp.office365.com.</summary>
    Microsoft365,

    /// <summary>Google (Gmail / Google Workspace); SMTP at smtp.gmail.com.</summary>
    Google,
}

/// <summary>One provider's app registration and endpoints (<c>Mailroom:OAuth:Microsoft365</c> / <c>Mailroom:OAuth:Google</c>).</summary>
public sealed class OAuthProviderOptions
{
    /// <summary>The application (client) id from the app registration; OAuth2 with this provider is off while it is empty.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret (configuration or a secrets store, never the database); empty for a public client.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// Instead of a secret (Microsoft): a PFX file with the certificate registered for the app;
    /// Mailroom then authenticates with a signed client assertion (RFC 7523).
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PFX file's password, if any.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Microsoft: the directory (tenant) id or domain; "organizations" accepts any work account.</summary>
    public string Tenant { get; set; } = "organizations";

    /// <summary>Microsoft: the authority host, <c>https://login.microsoftonline.com</c>; the endpoints below default to it and <see cref="Tenant"/>.</summary>
    public string? Authority { get; set; }

    /// <summary>Where the browser signs in (authorization-code flow).</summary>
    public string? AuthorizationEndpoint { get; set; }

    /// <summary>Where codes, refresh tokens, device codes and client credentials become tokens.</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>Device authorization (RFC 8628) for servers without a browser.</summary>
    public string? DeviceAuthorizationEndpoint { get; set; }

    /// <summary>Token revocation (RFC 7009), called when a sign-in is removed; none for Microsoft.</summary>
    public string? RevocationEndpoint { get; set; }

    /// <summary>OpenID Connect userinfo, asked for the account when the id_token names none.</summary>
    public string? UserInfoEndpoint { get; set; }

    /// <summary>Scopes asked for in delegated sign-in (space-separated).</summary>
    public string? Scopes { get; set; }

    /// <summary>Scope of app-only (client credentials) tokens.</summary>
    public string? AppOnlyScope { get; set; }

    /// <summary>True when a client id is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId);
}

/// <summary>The <c>Mailroom:OAuth</c> section: both providers and how tokens are kept.</summary>
public sealed class OAuthOptions
{
    /// <summary>Microsoft 365 (Entra ID) app registration; defaults are the real Microsoft endpoints.</summary>
    public OAuthProviderOptions Microsoft365 { get; set; } = new();

    /// <summary>Google Cloud OAuth client; defaults are the real Google endpoints.</summary>
    public OAuthProviderOptions Google { get; set; } = new();

    /// <summary>An access token is refreshed when it has less than this left.</summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The redirect URI registered with the providers, e.g. <c>https://mailroom.example.com/oauth/callback</c>;
    /// when empty, this server's address as the browser reached it plus <c>/oauth/callback</c>.
    /// </summary>
    public string? RedirectUri { get; set; }

    /// <summary>Time limit of one call to a provider.</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The options of <paramref name="provider"/>.</summary>
    public OAuthProviderOptions For(OAuthProvider provider) => provider == OAuthProvider.Google ? Google : Microsoft365;

    /// <summary>The endpoints and scopes in force for <paramref name="provider"/>: configured ones, else the provider's real ones.</summary>
    public OAuthEndpoints EndpointsFor(OAuthProvider provider)
    {
        var o = For(provider);
        if (provider == OAuthProvider.Google)
        {
            return new OAuthEndpoints(
                o.AuthorizationEndpoint ?? "https://accounts.google.com/o/oauth2/v2/auth",
                o.TokenEndpoint ?? "https://oauth2.googleapis.com/token",
                o.DeviceAuthorizationEndpoint ?? "https://oauth2.googleapis.com/device/code",
                o.RevocationEndpoint ?? "https://oauth2.googleapis.com/revoke",
                o.UserInfoEndpoint ?? "https://openidconnect.googleapis.com/v1/userinfo",
                o.Scopes ?? "https://mail.google.com/ openid email",
                o.AppOnlyScope ?? "https://mail.google.com/");
        }
        var authority = $"{(o.Authority ?? "https://login.microsoftonline.com").TrimEnd('/')}/{o.Tenant}/oauth2/v2.0";
        return new OAuthEndpoints(
            o.AuthorizationEndpoint ?? authority + "/authorize",
            o.TokenEndpoint ?? authority + "/token",
            o.DeviceAuthorizationEndpoint ?? authority + "/devicecode",
            o.RevocationEndpoint,
            o.UserInfoEndpoint ?? "https://graph.microsoft.com/oidc/userinfo",
            o.Scopes ?? "https://outlook.office.com/SMTP.Send offline_access openid email",
            o.AppOnlyScope ?? "https://outlook.office365.com/.default");
    }
}

/// <summary>The endpoints and scopes one provider is reached at.</summary>
public sealed record OAuthEndpoints(
    string Authorization, string Token, string DeviceAuthorization, string? Revocation, string UserInfo, string Scopes, string AppOnlyScope);
