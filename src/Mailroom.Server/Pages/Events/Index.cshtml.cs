using Mailroom.Core.Events;
using Mailroom.Core.Settings.Validation;
using Mailroom.Server.Apis;
using Mailroom.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.Pages.Events;

/// <summary>The events log with the API's filters and cursor; users see their own messages' and profile's events.</summary>
public sealed class IndexModel(IEventStore events) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public string? MessageId { get; set; }
    [BindProperty(SupportsGet = true)] public string? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public string? After { get; set; }

    public IReadOnlyList<EventRecord> Items { get; private set; } = [];
    public long? NextAfter { get; private set; }
    public IReadOnlyList<ValidationIssue> Issues { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (!User.IsAdministrator()) UserId = User.Id(); // a user sees only their own events
        var (query, issues) = EventsApi.ParseQuery(Type, MessageId, UserId,
            From?.ToString("yyyy-MM-dd"), To?.AddDays(1).ToString("yyyy-MM-dd"), After, PageSize);
        Issues = issues;
        if (issues.Count > 0) return;
        var page = await events.ListAsync(query, ct);
        Items = page.Items;
        NextAfter = page.HasMore ? page.Items[^1].Id : null;
    }
}
