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

    // The storage contract lists newest first by status and sender; the date filters read pages
    // of it, up to this many messages (the dashboard is one aggregate query).
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
            var summary = await queue.SummarizeAsync(new DateTimeOffset(Now.UtcDateTime.Date, TimeSpan.Zero), ct);
            Counts = summary.Counts;
            SentToday = summary.SentSince;
            OldestWaiting = summary.OldestWaitingCreatedAt is { } at ? Now - at : null;
        }
        return Page();
    }
}
