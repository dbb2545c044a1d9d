using System.Data;
using Dapper;
using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Mailroom.Storage.Sqlite;

/// <summary>
/// The durable queue in SQLite. Claims run inside one write transaction (SQLite has one writer
/// at a time, so no two workers can take the same row); every follow-up is fenced by the lease
/// token in its WHERE clause.
/// </summary>
public sealed class SqliteMessageQueueStorage(SqliteDatabase database) : IMessageQueueStorage
{
    private const string MessageColumns = """
        id AS Id, sender_user_id AS SenderUserId, status AS Status, priority AS Priority, draft_json AS DraftJson,
        idempotency_key AS IdempotencyKey, attempts AS Attempts, status_reason AS StatusReason, created_at AS CreatedAt,
        updated_at AS UpdatedAt, next_attempt_at AS NextAttemptAt, lease_expires_at AS LeaseExpiresAt
        """;

    public Task<EnqueueResult> EnqueueAsync(MessageDraft draft, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var message = SqliteMessageWriter.Prepare([draft], now); // encoded here, not on the single writer
        return database.Writes.WriteAsync((connection, transaction) => EnqueueAsync(connection, transaction, draft, message, now), cancellationToken);
    }

    private static async Task<EnqueueResult> EnqueueAsync(SqliteConnection connection, SqliteTransaction transaction, MessageDraft draft, SqliteMessageWriter message, DateTimeOffset now)
    {
        if (draft.IdempotencyKey is { } key)
        {
            var first = await connection.QuerySingleOrDefaultAsync<(string Id, string Status)>(
                "SELECT id, status FROM messages WHERE COALESCE(sender_user_id, '') = COALESCE(@sender, '') AND idempotency_key = @key",
                new { sender = draft.SenderUserId, key }, transaction);
            if (first.Id is not null) return new EnqueueResult(first.Id, MessageStatuses.Parse(first.Status)!.Value, Duplicate: true);
        }
        await message.WriteAsync(connection, transaction, MessageStatus.Queued, now);
        return new EnqueueResult(message.Ids[0], MessageStatus.Queued, Duplicate: false);
    }

    public Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(string workerId, int max, TimeSpan leaseDuration, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.Writes.WriteAsync((connection, transaction) => ClaimAsync(connection, transaction, workerId, max, leaseDuration, now), cancellationToken);

    private static async Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(
        SqliteConnection connection, SqliteTransaction transaction, string workerId, int max, TimeSpan leaseDuration, DateTimeOffset now)
    {
        var at = SqliteText.Time(now);
        // Set-based: one statement per step for the whole batch, not one per message. One token for
        // the batch is enough to fence: a later claim of any of these messages gets a new token.
        var token = Guid.NewGuid().ToString("N");
        // One branch per status, so each walks the messages_due index (status, priority,
        // next_attempt_at) in order and stops after @max rows; the best @max of the three branches
        // are the best @max overall. Written as one OR, SQLite reads every row of the table (sent
        // mail included, with its draft) and sorts the due ones, on every claim.
        var ids = (await connection.QueryAsync<string>(
            """
            SELECT id FROM (
                SELECT * FROM (SELECT id, priority, next_attempt_at FROM messages WHERE status = 'queued' AND next_attempt_at <= @at
                               ORDER BY priority, next_attempt_at, id LIMIT @max)
                UNION ALL
                SELECT * FROM (SELECT id, priority, next_attempt_at FROM messages WHERE status = 'deferred' AND next_attempt_at <= @at
                               ORDER BY priority, next_attempt_at, id LIMIT @max)
                UNION ALL
                SELECT * FROM (SELECT id, priority, next_attempt_at FROM messages WHERE status = 'sending' AND lease_expires_at <= @at
                               ORDER BY priority, next_attempt_at, id LIMIT @max))
            ORDER BY priority, next_attempt_at, id
            LIMIT @max
            """,
            new { at, max }, transaction)).ToArray();
        if (ids.Length == 0) return [];
        await connection.ExecuteAsync(
            """
            INSERT INTO message_history (message_id, at, status, reason)
            SELECT id, @at, 'sending', CASE status WHEN 'sending' THEN @reclaimed ELSE @claimed END
            FROM messages WHERE id IN @ids
            """,
            new { at, ids, reclaimed = ReclaimedReason, claimed = ClaimedReason }, transaction);
        var rows = (await connection.QueryAsync<MessageRow>(
            $"""
            UPDATE messages SET status = 'sending', lease_token = @token, lease_owner = @workerId, lease_expires_at = @expires,
                attempts = attempts + 1, updated_at = @at,
                status_reason = CASE status WHEN 'sending' THEN @reclaimed ELSE @claimed END
            WHERE id IN @ids
            RETURNING {MessageColumns}
            """,
            new { ids, token, workerId, expires = SqliteText.Time(now + leaseDuration), at, reclaimed = ReclaimedReason, claimed = ClaimedReason }, transaction)).ToArray();
        var attachments = (await connection.QueryAsync<(string MessageId, string FileName, string ContentType, byte[] Content)>(
                $"{SelectAttachments} WHERE a.message_id IN @ids ORDER BY a.message_id, a.position",
                new { ids }, transaction))
            .ToLookup(a => a.MessageId, a => new MessageAttachment(a.FileName, a.ContentType, a.Content));
        var byId = rows.ToDictionary(r => r.Id, r => new ClaimedMessage(r.ToMessage(attachments[r.Id].ToArray()), token));
        return ids.Select(id => byId[id]).ToArray(); // in claim order: best priority, oldest first
    }

    private static readonly string ClaimedReason = StoredDocuments.ClaimReason("queued");

    private static readonly string ReclaimedReason = StoredDocuments.ClaimReason("sending");

    public Task<bool> RenewLeaseAsync(string messageId, string leaseToken, DateTimeOffset newExpiry, CancellationToken cancellationToken = default) =>
        database.Writes.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(
            "UPDATE messages SET lease_expires_at = @expires WHERE id = @messageId AND lease_token = @leaseToken AND status = 'sending'",
            new { messageId, leaseToken, expires = SqliteText.Time(newExpiry) }, transaction) == 1, cancellationToken);

    public Task<bool> CompleteAsync(string messageId, string leaseToken, MessageTransition transition, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (transition.Status is MessageStatus.Queued or MessageStatus.Sending or MessageStatus.Cancelled)
            throw new ArgumentException($"A delivery attempt cannot end in '{transition.Status.Name()}'.", nameof(transition));
        return database.Writes.WriteAsync((connection, transaction) => CompleteAsync(connection, transaction, messageId, leaseToken, transition, now), cancellationToken);
    }

    private static async Task<bool> CompleteAsync(
        SqliteConnection connection, SqliteTransaction transaction, string messageId, string leaseToken, MessageTransition transition, DateTimeOffset now)
    {
        var changed = await connection.ExecuteAsync(
            """
            UPDATE messages SET status = @status, status_reason = @reason, updated_at = @at, next_attempt_at = @next,
                lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL
            WHERE id = @messageId AND lease_token = @leaseToken AND status = 'sending'
            """,
            new
            {
                messageId, leaseToken, status = transition.Status.Name(), reason = transition.Reason, at = SqliteText.Time(now),
                next = SqliteText.Time(transition.NextAttemptAt ?? now),
            },
            transaction);
        if (changed == 0) return false; // the lease was lost: a successor owns the message now
        await InsertHistoryAsync(connection, transaction, messageId, now, transition.Status, transition.Reason, transition.Reply, transition.Recipients);
        return true;
    }

    public Task<bool> RecordBounceAsync(string messageId, MessageTransition transition, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (transition.Status is not (MessageStatus.Sent or MessageStatus.Bounced))
            throw new ArgumentException($"A bounce leaves a message sent or bounced, not '{transition.Status.Name()}'.", nameof(transition));
        return database.Writes.WriteAsync((connection, transaction) => RecordBounceAsync(connection, transaction, messageId, transition, now), cancellationToken);
    }

    private static async Task<bool> RecordBounceAsync(
        SqliteConnection connection, SqliteTransaction transaction, string messageId, MessageTransition transition, DateTimeOffset now)
    {
        var changed = await connection.ExecuteAsync(
            "UPDATE messages SET status = @status, status_reason = @reason, updated_at = @at WHERE id = @messageId AND status IN ('sent', 'bounced')",
            new { messageId, status = transition.Status.Name(), reason = transition.Reason, at = SqliteText.Time(now) }, transaction);
        if (changed == 0) return false;
        await InsertHistoryAsync(connection, transaction, messageId, now, transition.Status, transition.Reason, transition.Reply, transition.Recipients);
        return true;
    }

    public Task<bool> CancelAsync(string messageId, string reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        MoveAsync(messageId, ["queued", "deferred", "held"], MessageStatus.Cancelled, reason, now, cancellationToken);

    public Task<bool> RetryAsync(string messageId, string reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        MoveAsync(messageId, ["failed", "deferred", "held", "cancelled"], MessageStatus.Queued, reason, now, cancellationToken);

    private Task<bool> MoveAsync(string messageId, string[] from, MessageStatus to, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.Writes.WriteAsync((connection, transaction) => MoveAsync(connection, transaction, messageId, from, to, reason, now), cancellationToken);

    private static async Task<bool> MoveAsync(
        SqliteConnection connection, SqliteTransaction transaction, string messageId, string[] from, MessageStatus to, string reason, DateTimeOffset now)
    {
        var at = SqliteText.Time(now);
        var changed = await connection.ExecuteAsync(
            "UPDATE messages SET status = @to, status_reason = @reason, updated_at = @at, next_attempt_at = @at WHERE id = @messageId AND status IN @from",
            new { messageId, from, to = to.Name(), reason, at }, transaction);
        if (changed == 0) return false;
        await InsertHistoryAsync(connection, transaction, messageId, now, to, reason, null, null);
        return true;
    }

    public Task<int> HoldSenderAsync(string? senderUserId, string reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        MoveSenderAsync(senderUserId, allSenders: false, ["queued", "deferred"], MessageStatus.Held, reason, now, cancellationToken);

    public Task<int> ReleaseHeldAsync(string? senderUserId, bool allSenders, string reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        MoveSenderAsync(senderUserId, allSenders, ["held"], MessageStatus.Queued, reason, now, cancellationToken);

    private Task<int> MoveSenderAsync(string? senderUserId, bool allSenders, string[] from, MessageStatus to, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.Writes.WriteAsync((connection, transaction) => MoveSenderAsync(connection, transaction, senderUserId, allSenders, from, to, reason, now), cancellationToken);

    private static async Task<int> MoveSenderAsync(
        SqliteConnection connection, SqliteTransaction transaction, string? senderUserId, bool allSenders, string[] from, MessageStatus to, string reason, DateTimeOffset now)
    {
        var ids = (await connection.QueryAsync<string>(
            "SELECT id FROM messages WHERE status IN @from AND (@all = 1 OR COALESCE(sender_user_id, '') = COALESCE(@sender, ''))",
            new { from, all = allSenders ? 1 : 0, sender = senderUserId }, transaction)).ToArray();
        var at = SqliteText.Time(now);
        foreach (var id in ids)
        {
            await connection.ExecuteAsync(
                "UPDATE messages SET status = @to, status_reason = @reason, updated_at = @at, next_attempt_at = @at WHERE id = @id",
                new { id, to = to.Name(), reason, at }, transaction);
            await InsertHistoryAsync(connection, transaction, id, now, to, reason, null, null);
        }
        return ids.Length;
    }

    public async Task<QueuedMessage?> GetAsync(string messageId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadAsync(connection, null, messageId);
    }

    public async Task<IReadOnlyList<MessageHistoryEntry>> GetHistoryAsync(string messageId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<HistoryRow>(
            """
            SELECT at AS At, status AS Status, reason AS Reason, reply_code AS ReplyCode, reply_enhanced_code AS ReplyEnhancedCode,
                   reply_text AS ReplyText, recipients_json AS RecipientsJson
            FROM message_history WHERE message_id = @messageId ORDER BY id
            """,
            new { messageId });
        return rows.Select(r => StoredDocuments.ToHistoryEntry(
                SqliteText.Time(r.At), r.Status, r.Reason, r.ReplyCode, r.ReplyEnhancedCode, r.ReplyText, r.RecipientsJson))
            .ToArray();
    }

    public async Task<MessagePage> ListAsync(MessageStatus? status, string? senderUserId, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<MessageRow>(
            $"""
            SELECT {MessageColumns} FROM messages
            WHERE (@status IS NULL OR status = @status) AND (@sender IS NULL OR sender_user_id = @sender) AND (@cursor IS NULL OR id < @cursor)
            ORDER BY id DESC LIMIT @take
            """,
            new { status = status?.Name(), sender = senderUserId, cursor, take = limit + 1 })).ToArray();
        var page = rows.Take(limit).Select(r => r.ToMessage([])).ToArray();
        return new MessagePage(page, rows.Length > limit ? page[^1].Id : null);
    }

    public async Task<IReadOnlyDictionary<MessageStatus, int>> CountByStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Status, int Count)>("SELECT status, COUNT(*) FROM messages GROUP BY status");
        var counts = MessageStatuses.All.ToDictionary(s => s, _ => 0);
        foreach (var (name, count) in rows) counts[MessageStatuses.Parse(name)!.Value] = count;
        return counts;
    }

    public async Task<QueueSummary> SummarizeAsync(DateTimeOffset sentSince, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Times are round-trip ISO 8601 in UTC, so text order is time order.
        var rows = await connection.QueryAsync<(string Status, int Count, int SentSince, string? OldestCreated)>(
            """
            SELECT status, COUNT(*), SUM(CASE WHEN status = 'sent' AND updated_at >= @since THEN 1 ELSE 0 END),
                   MIN(CASE WHEN status IN ('queued', 'deferred') THEN created_at END)
            FROM messages GROUP BY status
            """,
            new { since = SqliteText.Time(sentSince) });
        var counts = MessageStatuses.All.ToDictionary(s => s, _ => 0);
        var sent = 0;
        DateTimeOffset? oldest = null;
        foreach (var row in rows)
        {
            counts[MessageStatuses.Parse(row.Status)!.Value] = row.Count;
            sent += row.SentSince;
            if (SqliteText.OptionalTime(row.OldestCreated) is { } created && (oldest is null || created < oldest)) oldest = created;
        }
        return new QueueSummary(counts, sent, oldest);
    }

    private static async Task<QueuedMessage?> ReadAsync(SqliteConnection connection, IDbTransaction? transaction, string id)
    {
        var row = await connection.QuerySingleOrDefaultAsync<MessageRow>($"SELECT {MessageColumns} FROM messages WHERE id = @id", new { id }, transaction);
        if (row is null) return null;
        var attachments = await connection.QueryAsync<(string MessageId, string FileName, string ContentType, byte[] Content)>(
            $"{SelectAttachments} WHERE a.message_id = @id ORDER BY a.position", new { id }, transaction);
        return row.ToMessage(attachments.Select(a => new MessageAttachment(a.FileName, a.ContentType, a.Content)).ToArray());
    }

    // Attachments with their shared content (schema 008: bytes stored once per distinct content).
    private const string SelectAttachments = """
        SELECT a.message_id, a.file_name, a.content_type, c.content
        FROM message_attachments a JOIN attachment_contents c ON c.sha256 = a.content_sha256
        """;

    /// <summary>The one history INSERT (parameters @messageId, @at, @status, @reason, @code, @enhanced, @text, @recipients).</summary>
    internal const string InsertHistorySql = """
        INSERT INTO message_history (message_id, at, status, reason, reply_code, reply_enhanced_code, reply_text, recipients_json)
        VALUES (@messageId, @at, @status, @reason, @code, @enhanced, @text, @recipients)
        """;

    internal static Task InsertHistoryAsync(SqliteConnection connection, IDbTransaction transaction, string messageId, DateTimeOffset at,
        MessageStatus status, string reason, SmtpReply? reply, IReadOnlyList<RecipientOutcome>? recipients) =>
        connection.ExecuteAsync(
            InsertHistorySql,
            new
            {
                messageId, at = SqliteText.Time(at), status = status.Name(), reason, code = reply?.Code, enhanced = reply?.EnhancedCode, text = reply?.Text,
                recipients = StoredDocuments.SerializeRecipients(recipients),
            },
            transaction);

    private sealed record MessageRow(
        string Id, string? SenderUserId, string Status, long Priority, string DraftJson, string? IdempotencyKey, long Attempts,
        string? StatusReason, string CreatedAt, string UpdatedAt, string NextAttemptAt, string? LeaseExpiresAt)
    {
        public QueuedMessage ToMessage(IReadOnlyList<MessageAttachment> attachments) => new()
        {
            Id = Id,
            Draft = StoredDocuments.DeserializeDraft(DraftJson, attachments),
            Status = MessageStatuses.Parse(Status)!.Value,
            StatusReason = StatusReason,
            Attempts = (int)Attempts,
            CreatedAt = SqliteText.Time(CreatedAt),
            UpdatedAt = SqliteText.Time(UpdatedAt),
            NextAttemptAt = SqliteText.Time(NextAttemptAt),
            LeaseExpiresAt = SqliteText.OptionalTime(LeaseExpiresAt),
        };
    }

    private sealed record HistoryRow(string At, string Status, string Reason, long? ReplyCode, string? ReplyEnhancedCode, string? ReplyText, string? RecipientsJson);
}
