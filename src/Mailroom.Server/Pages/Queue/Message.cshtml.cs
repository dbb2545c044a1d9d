using Mailroom.Core.Localization;
using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Server.Security;
using Mailroom.Server.WebUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.Pages.Queue;

/// <summary>One message: its state, every transition with the SMTP reply, and the administrator's retry and cancel.</summary>
public sealed class MessageModel(IMessageQueueStorage queue, QueueSignal signal, TimeProvider clock) : PageModel
{
    [FromRoute]
    public string MessageId { get; set; } = "";

    public QueuedMessage? Message { get; private set; }
    public IReadOnlyList<MessageHistoryEntry> History { get; private set; } = [];

    /// <summary>The outcome of retry or cancel, as a sentence code.</summary>
    public string? ActionResult { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await LoadAsync(ct) ? Page() : NotFound();

    /// <summary>The state as JSON, for the page to follow a message without reloading.</summary>
    public async Task<IActionResult> OnGetStatusAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        var language = UiLanguage.Of(HttpContext);
        var status = Message!.Status;
        return new JsonResult(new
        {
            status = status.Name(),
            statusText = Messages.Format("ui.status." + status.Name(), language),
            reason = Message.StatusReason,
            final = status.IsFinal(),
        });
    }

    public Task<IActionResult> OnPostRetryAsync(CancellationToken ct) =>
        ActAsync(async () =>
        {
            var done = await queue.RetryAsync(MessageId, $"Sent again by {User.Id()} (web UI).", clock.GetUtcNow(), ct);
            if (done) signal.Notify();
            return done ? "ui.message.retried" : "message.cannotRetry";
        }, ct);

    public Task<IActionResult> OnPostCancelAsync(CancellationToken ct) =>
        ActAsync(async () => await queue.CancelAsync(MessageId, $"Cancelled by {User.Id()} (web UI).", clock.GetUtcNow(), ct)
            ? "ui.message.cancelled" : "message.cannotCancel", ct);

    private async Task<IActionResult> ActAsync(Func<Task<string>> action, CancellationToken ct)
    {
        if (!User.IsAdministrator()) return Forbid();
        if (!await LoadAsync(ct)) return NotFound();
        ActionResult = await action();
        await LoadAsync(ct);
        return Page();
    }

    // A user who may not read a message is told it does not exist, as in the API.
    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Message = await queue.GetAsync(MessageId, ct);
        if (Message is null || !(User.IsAdministrator() || Message.Draft.SenderUserId == User.Id())) return false;
        History = await queue.GetHistoryAsync(MessageId, ct);
        return true;
    }
}
