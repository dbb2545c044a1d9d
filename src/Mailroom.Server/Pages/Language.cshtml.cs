using Mailroom.Server.WebUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.Pages;

/// <summary>The language switch: remembers the choice in a cookie and goes back to the page.</summary>
public sealed class LanguageModel : PageModel
{
    public IActionResult OnPost(string? language, string? returnUrl)
    {
        UiLanguage.Remember(HttpContext, language);
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
