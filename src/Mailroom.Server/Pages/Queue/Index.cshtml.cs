using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.Pages.Queue;

/// <summary>The queue: messages with their state, filters, paging, and (for administrators) a small dashboard.</summary>
public sealed class IndexModel(IMessageQueueStorage queue, TimeProvider clock) : PageModel
{
    public const int PageSize = 50;

    // The storage contract lists newest first by status and sender; the date filters and the
    // dashboard's "sent today" and "oldest waiting" read pages of it, up to this many messages.
    private const int ScanLimit = 20_000;

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sender { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    public IReadOnlyList<QueuedMessage> Messages { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public IReadOnlyDictionary<MessageStatus, int>? Counts { get; private set; }
    public int SentToday { get; private set; }
    public TimeSpan? OldestWaiting { get; private set; }
    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        var status = MessageStatuses.Parse(Status);
        if (!User.IsAdministrator()) Sender = User.Id(); // a user sees only their own mail
        var sender = string.IsNullOrWhiteSpace(Sender) ? null : Sender.Trim();
        var fromTime = From is { } from ? new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : (DateTimeOffset?)null;
        var untilTime = To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : (DateTimeOffset?)null;

        var found = new List<QueuedMessage>();
        var cursor = Cursor;
        var scanned = 0;
        while (found.Count < PageSize && scanned < ScanLimit)
        {
            var page = await queue.ListAsync(status, sender, PageSize, cursor, ct);
            scanned += page.Items.Count;
            var olderThanRange = false;
            foreach (var message in page.Items)
            {
                if (fromTime is { } start && message.CreatedAt < start) { olderThanRange = true; break; }
                if (untilTime is { } end && message.CreatedAt >= end) continue;
                found.Add(message);
            }
            cursor = page.NextCursor;
            // Newest first: once past the start of the range, nothing older can match.
            if (olderThanRange) { cursor = null; break; }
            if (cursor is null) break;
        }
        Messages = found;
        NextCursor = cursor;

        if (User.IsAdministrator())
        {
            Counts = await queue.CountByStatusAsync(ct);
            SentToday = await CountSentTodayAsync(ct);
            OldestWaiting = await OldestWaitingAsync(ct);
        }
        return Page();
    }

    private async Task<int> CountSentTodayAsync(CancellationToken ct)
    {
        var today = new DateTimeOffset(Now.UtcDateTime.Date, TimeSpan.Zero);
        var count = 0;
        await foreach (var message in ScanAsync(MessageStatus.Sent, ct))
        {
            if (message.UpdatedAt >= today) count++;
            // Created more than a week before today: retries are long over, nothing earlier was sent today.
            else if (message.CreatedAt < today.AddDays(-7)) break;
        }
        return count;
    }

    private async Task<TimeSpan?> OldestWaitingAsync(CancellationToken ct)
    {
        DateTimeOffset? oldest = null;
        foreach (var status in new[] { MessageStatus.Queued, MessageStatus.Deferred })
        {
            await foreach (var message in ScanAsync(status, ct))
                if (oldest is null || message.CreatedAt < oldest) oldest = message.CreatedAt;
        }
        return oldest is { } at ? Now - at : null;
    }

    private async IAsyncEnumerable<QueuedMessage> ScanAsync(MessageStatus status, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? cursor = null;
        var scanned = 0;
        do
        {
            var page = await queue.ListAsync(status, null, 500, cursor, ct);
            foreach (var message in page.Items) yield return message;
            scanned += page.Items.Count;
            cursor = page.NextCursor;
        } while (cursor is not null && scanned < ScanLimit);
    }
}
