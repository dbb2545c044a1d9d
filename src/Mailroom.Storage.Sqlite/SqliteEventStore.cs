using System.Data;
using Dapper;
using Mailroom.Core.Events;
using Mailroom.Core.Mail;
using Mailroom.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Mailroom.Storage.Sqlite;

/// <summary>
/// The events log and webhooks in SQLite. Message transitions reach the log through the
/// <c>message_history_event</c> trigger (schema 004), in the transaction that wrote the history row.
/// SQLite has one writer at a time, so ids are handed out in commit order and the id is the cursor.
/// </summary>
public sealed class SqliteEventStore(SqliteDatabase database) : IEventStore, IWebhookStore
{
    private const string EventColumns = """
        e.id AS Id, e.at AS At, e.type AS Type, e.message_id AS MessageId, e.user_id AS UserId, e.reason AS Reason, e.code AS Code,
        e.reply_code AS ReplyCode, e.reply_enhanced_code AS ReplyEnhancedCode, e.reply_text AS ReplyText, e.details_json AS DetailsJson
        """;

    /// <inheritdoc />
    public async Task<long> AppendAsync(NewEvent newEvent, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO events (at, type, message_id, user_id, reason, code, details_json)
            VALUES (@at, @type, @messageId, @userId, @reason, @code, @details) RETURNING id
            """,
            new
            {
                at = SqliteText.Time(newEvent.At), type = newEvent.Type, messageId = newEvent.MessageId, userId = newEvent.UserId,
                reason = newEvent.Reason, code = newEvent.Code, details = newEvent.DetailsJson,
            });
    }

    /// <inheritdoc />
    public async Task<EventPage> ListAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ListAsync(connection, null, query);
    }

    private static async Task<EventPage> ListAsync(SqliteConnection connection, IDbTransaction? transaction, EventQuery query)
    {
        var types = query.Types is { Count: > 0 } t ? t.ToArray() : null;
        var rows = (await connection.QueryAsync<EventRow>(
            $"""
            SELECT {EventColumns} FROM events e
            WHERE e.id > @after
              AND (@anyType = 1 OR e.type IN @types)
              AND (@messageId IS NULL OR e.message_id = @messageId)
              AND (@userId IS NULL OR e.user_id = @userId)
              AND (@since IS NULL OR e.at >= @since)
              AND (@until IS NULL OR e.at < @until)
            ORDER BY e.id LIMIT @take
            """,
            new
            {
                after = query.After ?? 0, anyType = types is null ? 1 : 0, types = types ?? [""], messageId = query.MessageId, userId = query.UserId,
                since = query.Since is { } s ? SqliteText.Time(s) : null, until = query.Until is { } u ? SqliteText.Time(u) : null,
                take = query.Limit + 1,
            },
            transaction)).ToArray();
        return new EventPage(rows.Take(query.Limit).Select(r => r.ToEvent()).ToArray(), rows.Length > query.Limit);
    }

    /// <inheritdoc />
    public async Task AddEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO webhook_endpoints (id, url, event_types_json, enabled, protected_secret, created_at, updated_at)
            VALUES (@Id, @Url, @types, @Enabled, @ProtectedSecret, @created, @updated)
            """,
            new
            {
                endpoint.Id, endpoint.Url, types = StoredDocuments.Serialize(endpoint.EventTypes), endpoint.Enabled, endpoint.ProtectedSecret,
                created = SqliteText.Time(endpoint.CreatedAt), updated = SqliteText.Time(endpoint.UpdatedAt),
            });
    }

    /// <inheritdoc />
    public async Task<WebhookEndpoint?> GetEndpointAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<EndpointRow>($"{EndpointSelect} WHERE id = @id", new { id }))?.ToEndpoint();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ListEndpointsAsync(connection, null, enabledOnly: false);
    }

    private const string EndpointSelect = """
        SELECT id AS Id, url AS Url, event_types_json AS EventTypesJson, enabled AS Enabled, protected_secret AS ProtectedSecret,
               created_at AS CreatedAt, updated_at AS UpdatedAt
        FROM webhook_endpoints
        """;

    private static async Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(SqliteConnection connection, IDbTransaction? transaction, bool enabledOnly) =>
        (await connection.QueryAsync<EndpointRow>($"{EndpointSelect} WHERE (@enabledOnly = 0 OR enabled = 1) ORDER BY created_at, id",
            new { enabledOnly = enabledOnly ? 1 : 0 }, transaction))
        .Select(r => r.ToEndpoint()).ToArray();

    /// <inheritdoc />
    public async Task<bool> UpdateEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE webhook_endpoints SET url = @Url, event_types_json = @types, enabled = @Enabled, updated_at = @updated WHERE id = @Id",
            new { endpoint.Id, endpoint.Url, types = StoredDocuments.Serialize(endpoint.EventTypes), endpoint.Enabled, updated = SqliteText.Time(endpoint.UpdatedAt) }) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteEndpointAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM webhook_endpoints WHERE id = @id", new { id }) == 1;
    }

    /// <inheritdoc />
    public async Task<int> ScheduleAsync(int maxEvents, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var after = await connection.ExecuteScalarAsync<long>("SELECT last_event_id FROM webhook_dispatch_state WHERE id = 1", transaction: transaction);
        var endpoints = await ListEndpointsAsync(connection, transaction, enabledOnly: true);
        if (endpoints.Count == 0)
        {
            // No endpoint can match: the cursor jumps to the newest event without reading the events
            // (a mass mailing writes 100,000 of them, which would otherwise be read 200 at a time).
            var (count, last) = await connection.QuerySingleAsync<(long Count, long? Last)>(
                "SELECT COUNT(*), MAX(id) FROM events WHERE id > @after", new { after }, transaction);
            if (count == 0) return 0;
            await connection.ExecuteAsync("UPDATE webhook_dispatch_state SET last_event_id = @last WHERE id = 1", new { last }, transaction);
            await transaction.CommitAsync(cancellationToken);
            return (int)Math.Min(count, int.MaxValue);
        }
        var page = await ListAsync(connection, transaction, new EventQuery { After = after, Limit = maxEvents });
        if (page.Items.Count == 0) return 0;
        var at = SqliteText.Time(now);
        foreach (var (e, endpoint) in WebhookMatching.Pairs(page.Items, endpoints))
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO webhook_deliveries (endpoint_id, event_id, state, attempts, next_attempt_at, created_at)
                VALUES (@endpointId, @eventId, 'pending', 0, @at, @at) ON CONFLICT (endpoint_id, event_id) DO NOTHING
                """,
                new { endpointId = endpoint.Id, eventId = e.Id, at }, transaction);
        }
        await connection.ExecuteAsync("UPDATE webhook_dispatch_state SET last_event_id = @last WHERE id = 1", new { last = page.Items[^1].Id }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return page.Items.Count;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookDeliveryWork>> DueDeliveriesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var due = (await connection.QueryAsync<(long Id, string EndpointId, long EventId, long Attempts)>(
            "SELECT id, endpoint_id, event_id, attempts FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= @at ORDER BY next_attempt_at, id LIMIT @max",
            new { at = SqliteText.Time(now), max })).ToArray();
        if (due.Length == 0) return [];
        var endpoints = (await connection.QueryAsync<EndpointRow>($"{EndpointSelect} WHERE id IN @ids", new { ids = due.Select(d => d.EndpointId).Distinct().ToArray() }))
            .ToDictionary(r => r.Id, r => r.ToEndpoint());
        var events = (await connection.QueryAsync<EventRow>($"SELECT {EventColumns} FROM events e WHERE e.id IN @ids", new { ids = due.Select(d => d.EventId).Distinct().ToArray() }))
            .ToDictionary(r => r.Id, r => r.ToEvent());
        return due.Select(d => new WebhookDeliveryWork(d.Id, endpoints[d.EndpointId], events[d.EventId], (int)d.Attempts)).ToArray();
    }

    /// <inheritdoc />
    public async Task RecordAttemptAsync(long deliveryId, DateTimeOffset at, int? statusCode, string? error, WebhookAttemptOutcome outcome,
        DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = WebhookMatching.StateAfter(outcome);
        var changed = await connection.ExecuteAsync(
            "UPDATE webhook_deliveries SET attempts = attempts + 1, state = @state, next_attempt_at = @next WHERE id = @deliveryId",
            new { deliveryId, state, next = SqliteText.Time(nextAttemptAt ?? at) }, transaction);
        if (changed == 0) return; // the endpoint was deleted meanwhile
        await connection.ExecuteAsync(
            """
            INSERT INTO webhook_attempts (delivery_id, endpoint_id, event_id, event_type, attempt, at, status_code, error, outcome)
            SELECT d.id, d.endpoint_id, d.event_id, e.type, d.attempts, @at, @statusCode, @error, @outcome
            FROM webhook_deliveries d JOIN events e ON e.id = d.event_id WHERE d.id = @deliveryId
            """,
            new { deliveryId, at = SqliteText.Time(at), statusCode, error, outcome = WebhookMatching.OutcomeName(outcome) }, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookAttempt>> ListAttemptsAsync(string endpointId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, string EndpointId, long DeliveryId, long EventId, string EventType, long Attempt, string At, long? StatusCode, string? Error, string Outcome)>(
            """
            SELECT id, endpoint_id, delivery_id, event_id, event_type, attempt, at, status_code, error, outcome
            FROM webhook_attempts WHERE endpoint_id = @endpointId ORDER BY id DESC LIMIT @limit
            """,
            new { endpointId, limit });
        return rows.Select(r => new WebhookAttempt(r.Id, r.EndpointId, r.DeliveryId, r.EventId, r.EventType, (int)r.Attempt, SqliteText.Time(r.At),
            r.StatusCode is { } code ? (int)code : null, r.Error, WebhookMatching.ParseOutcome(r.Outcome))).ToArray();
    }

    private sealed record EventRow(
        long Id, string At, string Type, string? MessageId, string? UserId, string? Reason, string? Code,
        long? ReplyCode, string? ReplyEnhancedCode, string? ReplyText, string? DetailsJson)
    {
        public EventRecord ToEvent() => new()
        {
            Id = Id, At = SqliteText.Time(At), Type = Type, MessageId = MessageId, UserId = UserId, Reason = Reason, Code = Code,
            Reply = ReplyCode is { } c ? new SmtpReply((int)c, ReplyEnhancedCode, ReplyText ?? "") : null,
            DetailsJson = DetailsJson,
        };
    }

    private sealed record EndpointRow(string Id, string Url, string EventTypesJson, long Enabled, string ProtectedSecret, string CreatedAt, string UpdatedAt)
    {
        public WebhookEndpoint ToEndpoint() => new()
        {
            Id = Id, Url = Url, EventTypes = StoredDocuments.Deserialize<string[]>(EventTypesJson) ?? [], Enabled = Enabled != 0,
            ProtectedSecret = ProtectedSecret, CreatedAt = SqliteText.Time(CreatedAt), UpdatedAt = SqliteText.Time(UpdatedAt),
        };
    }
}
