using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.Pages;

/// <summary>Where the cookie scheme sends a person who reached for a page that is not theirs; answers 403.</summary>
public sealed class ForbiddenModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
