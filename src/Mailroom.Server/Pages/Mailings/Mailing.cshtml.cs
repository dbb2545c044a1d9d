using Mailroom.Core.Mailings;
using Mailroom.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.Pages.Mailings;

/// <summary>One mailing: live progress (bar, counts per state, rate, time left), pause / resume / cancel, the CSV report.</summary>
public sealed class MailingModel(MailingService mailings) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Id { get; set; } = "";

    public MailingProgress? Progress { get; private set; }
    public bool Refused { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Progress = await mailings.GetProgressAsync(Id, ct);
        return Progress is null || !MayRead(Progress.Mailing) ? NotFound() : Page();
    }

    /// <summary>The progress as JSON for the page's live update (the API itself takes API keys only, never the session cookie).</summary>
    public async Task<IActionResult> OnGetProgressAsync(CancellationToken ct)
    {
        var progress = await mailings.GetProgressAsync(Id, ct);
        if (progress is null || !MayRead(progress.Mailing)) return NotFound();
        return new JsonResult(Apis.MailingView.From(progress));
    }

    /// <summary>The per-recipient CSV report, downloaded from the page.</summary>
    public async Task<IActionResult> OnGetReportAsync(CancellationToken ct)
    {
        var mailing = await mailings.GetAsync(Id, ct);
        if (mailing is null || !MayRead(mailing)) return NotFound();
        await Apis.MailingsApi.WriteReportAsync(HttpContext, mailings, Id, ct);
        return new EmptyResult();
    }

    public Task<IActionResult> OnPostPauseAsync(CancellationToken ct) => ChangeAsync(MailingState.Paused, ct);

    public Task<IActionResult> OnPostResumeAsync(CancellationToken ct) => ChangeAsync(MailingState.Running, ct);

    public Task<IActionResult> OnPostCancelAsync(CancellationToken ct) => ChangeAsync(MailingState.Cancelled, ct);

    private async Task<IActionResult> ChangeAsync(MailingState state, CancellationToken ct)
    {
        var mailing = await mailings.GetAsync(Id, ct);
        if (mailing is null || !MayRead(mailing)) return NotFound();
        Refused = await mailings.ChangeStateAsync(Id, state, User.Id(), ct) is null;
        Progress = await mailings.GetProgressAsync(Id, ct);
        return Page();
    }

    private bool MayRead(Mailing mailing) => Apis.MailingsApi.MayRead(User, mailing);
}
