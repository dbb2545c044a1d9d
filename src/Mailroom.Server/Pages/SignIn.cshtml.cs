using Mailroom.Core.Storage;
using Mailroom.Core.Users;
using Mailroom.Server.Security;
using Mailroom.Server.WebUi;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.Pages;

/// <summary>Sign-in with the e-mail address and the sign-in password (first-start credentials, or set when the user was created).</summary>
public sealed class SignInModel(IUserStore users, SignInThrottle throttle, ILogger<SignInModel> log) : PageModel
{
    private static readonly Lazy<string> UnknownUserHash = new(() => PasswordHasher.Hash(PasswordHasher.GeneratePassword()));

    public string? Email { get; private set; }
    public string? ReturnUrl { get; private set; }
    public bool Failed { get; private set; }

    /// <summary>True when this address has had too many failed attempts lately.</summary>
    public bool Locked { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? returnUrl, CancellationToken ct)
    {
        (Email, ReturnUrl) = (email, returnUrl);
        if (!string.IsNullOrWhiteSpace(email) && throttle.IsLocked(email))
        {
            log.LogWarning("Web UI sign-in for {Email} refused: too many failed attempts", email);
            Locked = true;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        var user = string.IsNullOrWhiteSpace(email) ? null : await users.FindByEmailAsync(email.Trim(), ct);
        var hash = user is null ? null : await users.GetPasswordHashAsync(user.Id, ct);
        // An unknown address costs the same hashing as a wrong password, so timing does not tell which addresses exist.
        var matches = PasswordHasher.Verify(password ?? "", hash ?? UnknownUserHash.Value);
        if (user is null || hash is null || string.IsNullOrEmpty(password) || !matches)
        {
            // The address is logged to spot guessing; the password never is.
            log.LogWarning("Web UI sign-in refused for {Email}", email);
            if (!string.IsNullOrWhiteSpace(email)) throttle.Failed(email);
            Failed = true;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        throttle.Succeeded(user.Email);
        await HttpContext.SignInAsync(WebUiAuthentication.CookieScheme,
            ApiKeyAuthenticationHandler.PrincipalFor(user, WebUiAuthentication.CookieScheme),
            new AuthenticationProperties { IsPersistent = false });
        log.LogInformation("Web UI sign-in: {UserId}", user.Id);
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
