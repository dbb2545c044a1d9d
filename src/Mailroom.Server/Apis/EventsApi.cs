using System.Globalization;
using System.Security.Claims;
using Mailroom.Core.Events;
using Mailroom.Core.Settings.Validation;
using Mailroom.Server.Security;

namespace Mailroom.Server.Apis;

/// <summary>The events log: everything that happened to messages and profiles.</summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events", List).WithTags("Events").RequireAuthorization()
            .WithSummary("Events oldest first after a cursor; ?type=a,b&messageId=&userId=&since=&until=&after=&limit= (1–500, default 100). Users see their own messages' and profile's events, administrators all.");
        return app;
    }

    private static async Task<IResult> List(IEventStore events, HttpContext context, ClaimsPrincipal caller,
        string? type, string? messageId, string? userId, string? since, string? until, string? after, int? limit, CancellationToken ct)
    {
        var (query, issues) = ParseQuery(type, messageId, userId, since, until, after, limit);
        if (issues.Count > 0) return ApiProblems.Validation(context, issues);
        if (!caller.IsAdministrator())
        {
            if (query.UserId is not null && query.UserId != caller.Id()) return ApiProblems.Forbidden(context);
            query = query with { UserId = caller.Id() };
        }
        var page = await events.ListAsync(query, ct);
        return TypedResults.Ok(new EventListView(page.Items.Select(EventPayload.From).ToArray(),
            page.Items.Count > 0 ? page.Items[^1].Id : query.After ?? 0, page.HasMore));
    }

    /// <summary>The query string read into a query, or the issues naming each bad parameter (shared with the Events page).</summary>
    public static (EventQuery Query, List<ValidationIssue> Issues) ParseQuery(
        string? type, string? messageId, string? userId, string? since, string? until, string? after, int? limit)
    {
        var issues = new List<ValidationIssue>();
        var types = (type ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var t in types.Where(t => !EventTypes.IsValidName(t))) issues.Add(Issue("type", "events.type.invalid", t));
        long? afterId = null;
        if (!string.IsNullOrWhiteSpace(after))
        {
            if (long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var a)) afterId = a;
            else issues.Add(Issue("after", "events.after.invalid", after));
        }
        var sinceAt = ParseTime("since", since, issues);
        var untilAt = ParseTime("until", until, issues);
        if (sinceAt is { } s && untilAt is { } u && s >= u) issues.Add(Issue("since", "events.range.invalid", since));
        var query = new EventQuery
        {
            Types = types.Length > 0 ? types : null,
            MessageId = string.IsNullOrWhiteSpace(messageId) ? null : messageId.Trim(),
            UserId = string.IsNullOrWhiteSpace(userId) ? null : userId.Trim(),
            Since = sinceAt,
            Until = untilAt,
            After = afterId,
            Limit = Math.Clamp(limit ?? 100, 1, 500),
        };
        return (query, issues);
    }

    private static DateTimeOffset? ParseTime(string field, string? value, List<ValidationIssue> issues)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at;
        issues.Add(Issue(field, "events.date.invalid", value));
        return null;
    }

    private static ValidationIssue Issue(string field, string code, object? value) =>
        new(field, code, IssueSeverity.Error, new Dictionary<string, object?> { ["value"] = value });
}
