using System.Text.Json;
using Mailroom.Core.Mail;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Events;

/// <summary>One entry of the events log.</summary>
public sealed record EventRecord
{
    /// <summary>The event's id: unique, and the cursor to read on from (<see cref="EventQuery.After"/>).</summary>
    public required long Id { get; init; }

    /// <summary>When it happened.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>What happened: <see cref="EventTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>The message it concerns, or null.</summary>
    public string? MessageId { get; init; }

    /// <summary>Whose message or profile it concerns; null for the global profile and the system.</summary>
    public string? UserId { get; init; }

    /// <summary>A short reason in words.</summary>
    public string? Reason { get; init; }

    /// <summary>A short machine-readable code, when the writer gave one.</summary>
    public string? Code { get; init; }

    /// <summary>The SMTP server's reply, for delivery events.</summary>
    public SmtpReply? Reply { get; init; }

    /// <summary>Further details as a JSON object, or null.</summary>
    public string? DetailsJson { get; init; }
}

/// <summary>An event to append; the store gives it its id.</summary>
/// <param name="Type">What happened (<see cref="EventTypes"/>).</param>
/// <param name="At">When.</param>
public sealed record NewEvent(string Type, DateTimeOffset At)
{
    /// <summary>The message it concerns, or null.</summary>
    public string? MessageId { get; init; }

    /// <summary>Whose message or profile; null for the global profile and the system.</summary>
    public string? UserId { get; init; }

    /// <summary>A short reason in words.</summary>
    public string? Reason { get; init; }

    /// <summary>A short machine-readable code.</summary>
    public string? Code { get; init; }

    /// <summary>A JSON object with further details, or null.</summary>
    public string? DetailsJson { get; init; }
}

/// <summary>Which events to read: every filter is optional; results come oldest first, after <see cref="After"/>.</summary>
public sealed record EventQuery
{
    /// <summary>Only these types (exact names); null or empty: all.</summary>
    public IReadOnlyList<string>? Types { get; init; }

    /// <summary>Only this message's events.</summary>
    public string? MessageId { get; init; }

    /// <summary>Only events of this user's messages and profile.</summary>
    public string? UserId { get; init; }

    /// <summary>Only events at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only events before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>The id of the last event already read; 0 or null: from the start.</summary>
    public long? After { get; init; }

    /// <summary>At most this many events.</summary>
    public int Limit { get; init; } = 100;
}

/// <summary>A page of events, oldest first.</summary>
/// <param name="Items">The events.</param>
/// <param name="HasMore">True when more events matched than <see cref="EventQuery.Limit"/>.</param>
public sealed record EventPage(IReadOnlyList<EventRecord> Items, bool HasMore);

/// <summary>
/// The events log's storage. Message transitions are written by the storage itself, in the same
/// transaction as the message's history row; everything else is appended here.
/// </summary>
public interface IEventStore
{
    /// <summary>Appends <paramref name="newEvent"/>; returns its id.</summary>
    Task<long> AppendAsync(NewEvent newEvent, CancellationToken cancellationToken = default);

    /// <summary>
    /// The events matching <paramref name="query"/> after its cursor, in log order. An event
    /// appears only once nothing can commit before it any more, so reading on from the last id
    /// never skips one.
    /// </summary>
    Task<EventPage> ListAsync(EventQuery query, CancellationToken cancellationToken = default);
}

/// <summary>Appends the events that are not message transitions: settings held, OAuth expired, webhook failures…</summary>
public interface IEventLog
{
    /// <summary>Appends an event of <paramref name="type"/> now; <paramref name="details"/> is serialized as a JSON object.</summary>
    Task<long> AppendAsync(string type, string? userId, string? messageId, string? reason, string? code = null, object? details = null,
        CancellationToken cancellationToken = default);
}

/// <summary>The events log over the backend's <see cref="IEventStore"/>, stamped with <see cref="TimeProvider"/>.</summary>
public sealed class EventLog(IEventStore store, TimeProvider clock) : IEventLog
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="type"/> is not a valid event type name.</exception>
    public Task<long> AppendAsync(string type, string? userId, string? messageId, string? reason, string? code = null, object? details = null,
        CancellationToken cancellationToken = default)
    {
        if (!EventTypes.IsValidName(type)) throw new ArgumentException($"'{type}' is not an event type name (e.g. 'oauth.expired').", nameof(type));
        return store.AppendAsync(new NewEvent(type, clock.GetUtcNow())
        {
            UserId = userId, MessageId = messageId, Reason = reason, Code = code,
            DetailsJson = details is null ? null : StoredDocuments.Serialize(details),
        }, cancellationToken);
    }
}

/// <summary>The event as the API returns it and a webhook posts it.</summary>
/// <param name="Id">The event's id (the cursor).</param>
/// <param name="Type">What happened.</param>
/// <param name="At">When.</param>
/// <param name="MessageId">The message, or null.</param>
/// <param name="UserId">Whose message or profile, or null.</param>
/// <param name="Reason">A short reason.</param>
/// <param name="Code">A short code.</param>
/// <param name="Reply">The SMTP reply, or null.</param>
/// <param name="Details">Further details (a JSON object), or null.</param>
public sealed record EventPayload(
    long Id, string Type, DateTimeOffset At, string? MessageId, string? UserId, string? Reason, string? Code, EventReplyPayload? Reply, JsonElement? Details)
{
    /// <summary>The payload of <paramref name="e"/>.</summary>
    public static EventPayload From(EventRecord e) => new(
        e.Id, e.Type, e.At, e.MessageId, e.UserId, e.Reason, e.Code,
        e.Reply is { } r ? new EventReplyPayload(r.Code, r.EnhancedCode, r.Text) : null,
        e.DetailsJson is null ? null : JsonDocument.Parse(e.DetailsJson).RootElement.Clone());

    /// <summary>The payload as the JSON text a webhook posts.</summary>
    public string ToJson() => StoredDocuments.Serialize(this);
}

/// <summary>An SMTP reply in an event payload.</summary>
/// <param name="Code">The basic code, e.g. 550.</param>
/// <param name="EnhancedCode">The enhanced status code, e.g. 5.1.1, or null.</param>
/// <param name="Text">The server's text.</param>
public sealed record EventReplyPayload(int Code, string? EnhancedCode, string Text);
