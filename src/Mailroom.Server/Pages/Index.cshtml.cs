using Mailroom.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.Pages;

/// <summary>The start page: the Mail server tab for administrators, one's own settings for everyone else.</summary>
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => Redirect(User.IsAdministrator() ? "/settings/server" : "/settings/mine");
}
