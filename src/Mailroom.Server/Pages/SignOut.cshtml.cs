using Mailroom.Server.WebUi;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.Pages;

/// <summary>Ends the session (POST only, with the anti-forgery token).</summary>
public sealed class SignOutModel : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(WebUiAuthentication.CookieScheme);
        return Redirect("/signin");
    }
}
