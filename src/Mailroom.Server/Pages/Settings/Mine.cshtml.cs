using Mailroom.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.Pages.Settings;

/// <summary>"My sender settings": the signed-in person's own page.</summary>
public sealed class MineModel : PageModel
{
    public IActionResult OnGet() => Redirect("/settings/users/" + Uri.EscapeDataString(User.Id()));
}
