using System.Security.Claims;
using System.Text.Encodings.Web;
using Mailroom.Core.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Mailroom.Server.Security;

/// <summary>Authenticates <c>Authorization: Bearer &lt;API key&gt;</c> against the stored key hashes.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyCache keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <API key>'.");
        var key = header["Bearer ".Length..].Trim();
        var found = await keys.FindAsync(ApiKey.HashOf(key), Context.RequestAborted);
        if (found is not { } match) return AuthenticateResult.Fail("Unknown or revoked API key.");
        return AuthenticateResult.Success(new AuthenticationTicket(PrincipalFor(match.User, SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }

    /// <summary>The claims Mailroom reads back with <see cref="CurrentUser"/>.</summary>
    public static ClaimsPrincipal PrincipalFor(User user, string scheme) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id),
            new Claim(ClaimTypes.Email, user.Email),
            new Claim(ClaimTypes.Role, user.IsAdministrator ? nameof(Role.Administrator) : nameof(Role.User)),
        ],
        scheme));
}

/// <summary>Who is calling, and what they may touch.</summary>
public static class CurrentUser
{
    /// <summary>The authorization policy for administrator-only endpoints.</summary>
    public const string AdministratorPolicy = "Administrator";

    /// <summary>The caller's user id.</summary>
    public static string Id(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not authenticated.");

    /// <summary>True for administrators.</summary>
    public static bool IsAdministrator(this ClaimsPrincipal principal) => principal.IsInRole(nameof(Role.Administrator));

    /// <summary>An administrator may act for anyone; a user only for themselves.</summary>
    public static bool MayActFor(this ClaimsPrincipal principal, string userId) =>
        principal.IsAdministrator() || string.Equals(principal.Id(), userId, StringComparison.Ordinal);
}
