using Dapper;
using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Storage;
using Npgsql;

namespace Mailroom.Storage.PostgreSql;

/// <summary>
/// The durable queue in PostgreSQL, shared by every node. A claim is one statement that locks due
/// rows with <c>FOR UPDATE SKIP LOCKED</c> (two nodes claiming at once get different messages and
/// never wait for each other), moves them to Sending with a fresh token and writes their history;
/// every follow-up is fenced by that token. Anything that makes a message due now sends a
/// <c>NOTIFY</c> on <see cref="PostgreSqlDatabase.QueueChannel"/>, delivered at commit.
/// </summary>
public sealed class PostgreSqlMessageQueueStorage(PostgreSqlDatabase database) : IMessageQueueStorage
{
    private const string MessageColumns = """
        id AS Id, status AS Status, draft_json::text AS DraftJson, attempts AS Attempts, status_reason AS StatusReason,
        created_at AS CreatedAt, updated_at AS UpdatedAt, next_attempt_at AS NextAttemptAt, lease_expires_at AS LeaseExpiresAt
        """;

    private const string Notify = $"SELECT pg_notify('{PostgreSqlDatabase.QueueChannel}', '')";

    /// <inheritdoc />
    public async Task<EnqueueResult> EnqueueAsync(MessageDraft draft, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = (await PostgreSqlMessageWriter.InsertAsync(connection, transaction, [draft], MessageStatus.Queued, now))[0];
        if (inserted is null)
        {
            var first = await connection.QuerySingleAsync<(string Id, string Status)>(
                "SELECT id, status FROM messages WHERE COALESCE(sender_user_id, '') = COALESCE(@sender, '') AND idempotency_key = @key",
                new { sender = draft.SenderUserId, key = draft.IdempotencyKey }, transaction);
            return new EnqueueResult(first.Id, MessageStatuses.Parse(first.Status)!.Value, Duplicate: true);
        }
        if (draft.SendAfter is not { } after || after <= now) await connection.ExecuteAsync(Notify, transaction: transaction);
        await transaction.CommitAsync(cancellationToken);
        return new EnqueueResult(inserted, MessageStatus.Queued, Duplicate: false);
    }

    /// <summary>Wakes every node's workers when the transaction commits.</summary>
    internal static Task NotifyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction) => connection.ExecuteAsync(Notify, transaction: transaction);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(string workerId, int max, TimeSpan leaseDuration, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One statement: pick and lock the due rows (skipping rows another node is claiming right
        // now), lease them, and record the claim in their history.
        var rows = (await connection.QueryAsync<ClaimedRow>(
            $"""
            WITH due AS (
                SELECT id, status AS previous_status FROM messages
                WHERE (status IN ('queued', 'deferred') AND next_attempt_at <= @at)
                   OR (status = 'sending' AND lease_expires_at <= @at)
                ORDER BY priority, next_attempt_at, id
                LIMIT @max
                FOR UPDATE SKIP LOCKED
            ), leased AS (
                UPDATE messages m SET status = 'sending', lease_token = replace(gen_random_uuid()::text, '-', ''), lease_owner = @workerId,
                    lease_expires_at = @expires, attempts = m.attempts + 1, updated_at = @at,
                    status_reason = CASE WHEN due.previous_status = 'sending' THEN @reclaimed ELSE @claimed END
                FROM due WHERE m.id = due.id
                RETURNING m.*
            ), history AS (
                INSERT INTO message_history (message_id, at, status, reason)
                SELECT id, @at, 'sending', status_reason FROM leased
            )
            SELECT lease_token AS LeaseToken, {MessageColumns} FROM leased ORDER BY priority, next_attempt_at, id
            """,
            new
            {
                at = now.ToUniversalTime(), max, workerId, expires = (now + leaseDuration).ToUniversalTime(),
                reclaimed = StoredDocuments.ClaimReason("sending"), claimed = StoredDocuments.ClaimReason("queued"),
            },
            transaction)).ToArray();
        var attachments = await ReadAttachmentsAsync(connection, transaction, rows.Select(r => r.Id).ToArray());
        await transaction.CommitAsync(cancellationToken);
        return rows.Select(r => new ClaimedMessage(r.ToMessage(attachments[r.Id]), r.LeaseToken)).ToArray();
    }

    /// <inheritdoc />
    public async Task<bool> RenewLeaseAsync(string messageId, string leaseToken, DateTimeOffset newExpiry, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE messages SET lease_expires_at = @expires WHERE id = @messageId AND lease_token = @leaseToken AND status = 'sending'",
            new { messageId, leaseToken, expires = newExpiry.ToUniversalTime() }) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> CompleteAsync(string messageId, string leaseToken, MessageTransition transition, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (transition.Status is MessageStatus.Queued or MessageStatus.Sending or MessageStatus.Cancelled)
            throw new ArgumentException($"A delivery attempt cannot end in '{transition.Status.Name()}'.", nameof(transition));
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            """
            UPDATE messages SET status = @status, status_reason = @reason, updated_at = @at, next_attempt_at = @next,
                lease_token = NULL, lease_owner = NULL, lease_expires_at = NULL
            WHERE id = @messageId AND lease_token = @leaseToken AND status = 'sending'
            """,
            new
            {
                messageId, leaseToken, status = transition.Status.Name(), reason = transition.Reason, at = now.ToUniversalTime(),
                next = (transition.NextAttemptAt ?? now).ToUniversalTime(),
            },
            transaction);
        if (changed == 0) return false; // the lease was lost: a successor owns the message now
        await InsertHistoryAsync(connection, transaction, messageId, now, transition.Status, transition.Reason, transition.Reply, transition.Recipients);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> RecordBounceAsync(string messageId, MessageTransition transition, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (transition.Status is not (MessageStatus.Sent or MessageStatus.Bounced))
            throw new ArgumentException($"A bounce leaves a message sent or bounced, not '{transition.Status.Name()}'.", nameof(transition));
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            "UPDATE messages SET status = @status, status_reason = @reason, updated_at = @at WHERE id = @messageId AND status IN ('sent', 'bounced')",
            new { messageId, status = transition.Status.Name(), reason = transition.Reason, at = now.ToUniversalTime() }, transaction);
        if (changed == 0) return false;
        await InsertHistoryAsync(connection, transaction, messageId, now, transition.Status, transition.Reason, transition.Reply, transition.Recipients);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public Task<bool> CancelAsync(string messageId, string reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        MoveAsync(messageId, ["queued", "deferred", "held"], MessageStatus.Cancelled, reason, now, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RetryAsync(string messageId, string reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        MoveAsync(messageId, ["failed", "deferred", "held", "cancelled"], MessageStatus.Queued, reason, now, cancellationToken);

    private async Task<bool> MoveAsync(string messageId, string[] from, MessageStatus to, string reason, DateTimeOffset now, CancellationToken cancellationToken) =>
        await MoveWhereAsync("id = @messageId", new { messageId }, from, to, reason, now, cancellationToken) == 1;

    /// <inheritdoc />
    public Task<int> HoldSenderAsync(string? senderUserId, string reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        MoveWhereAsync("COALESCE(sender_user_id, '') = COALESCE(@sender, '')", new { sender = senderUserId },
            ["queued", "deferred"], MessageStatus.Held, reason, now, cancellationToken);

    /// <inheritdoc />
    public Task<int> ReleaseHeldAsync(string? senderUserId, bool allSenders, string reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        MoveWhereAsync("(@all OR COALESCE(sender_user_id, '') = COALESCE(@sender, ''))", new { sender = senderUserId, all = allSenders },
            ["held"], MessageStatus.Queued, reason, now, cancellationToken);

    /// <summary>Moves the messages matching <paramref name="filter"/> and in one of <paramref name="from"/>, with their history, in one statement.</summary>
    private async Task<int> MoveWhereAsync(string filter, object filterValues, string[] from, MessageStatus to, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var parameters = new DynamicParameters(filterValues);
        parameters.AddDynamicParams(new { from, to = to.Name(), reason, at = now.ToUniversalTime() });
        var moved = await connection.ExecuteScalarAsync<int>(
            $"""
            WITH moved AS (
                UPDATE messages SET status = @to, status_reason = @reason, updated_at = @at, next_attempt_at = @at
                WHERE {filter} AND status = ANY(@from)
                RETURNING id
            ), history AS (
                INSERT INTO message_history (message_id, at, status, reason) SELECT id, @at, @to, @reason FROM moved
            )
            SELECT COUNT(*) FROM moved
            """,
            parameters, transaction);
        if (moved > 0 && to == MessageStatus.Queued) await connection.ExecuteAsync(Notify, transaction: transaction);
        await transaction.CommitAsync(cancellationToken);
        return moved;
    }

    /// <inheritdoc />
    public async Task<QueuedMessage?> GetAsync(string messageId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<MessageRow>($"SELECT {MessageColumns} FROM messages WHERE id = @messageId", new { messageId });
        if (row is null) return null;
        return row.ToMessage((await ReadAttachmentsAsync(connection, null, [messageId]))[messageId]);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MessageHistoryEntry>> GetHistoryAsync(string messageId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<HistoryRow>(
            """
            SELECT at AS At, status AS Status, reason AS Reason, reply_code AS ReplyCode, reply_enhanced_code AS ReplyEnhancedCode,
                   reply_text AS ReplyText, recipients_json::text AS RecipientsJson
            FROM message_history WHERE message_id = @messageId ORDER BY id
            """,
            new { messageId });
        return rows.Select(r => StoredDocuments.ToHistoryEntry(
                PostgreSqlTime.Read(r.At), r.Status, r.Reason, r.ReplyCode, r.ReplyEnhancedCode, r.ReplyText, r.RecipientsJson))
            .ToArray();
    }

    /// <inheritdoc />
    public async Task<MessagePage> ListAsync(MessageStatus? status, string? senderUserId, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<MessageRow>(
            $"""
            SELECT {MessageColumns} FROM messages
            WHERE (@status::text IS NULL OR status = @status) AND (@sender::text IS NULL OR sender_user_id = @sender)
              AND (@cursor::text IS NULL OR id < @cursor)
            ORDER BY id DESC LIMIT @take
            """,
            new { status = status?.Name(), sender = senderUserId, cursor, take = limit + 1 })).ToArray();
        var page = rows.Take(limit).Select(r => r.ToMessage([])).ToArray();
        return new MessagePage(page, rows.Length > limit ? page[^1].Id : null);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<MessageStatus, int>> CountByStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Status, long Count)>("SELECT status, COUNT(*) FROM messages GROUP BY status");
        var counts = MessageStatuses.All.ToDictionary(s => s, _ => 0);
        foreach (var (name, count) in rows) counts[MessageStatuses.Parse(name)!.Value] = (int)count;
        return counts;
    }

    public async Task<QueueSummary> SummarizeAsync(DateTimeOffset sentSince, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Status, long Count, long SentSince, DateTime? OldestCreated)>(
            """
            SELECT status, COUNT(*), COUNT(*) FILTER (WHERE status = 'sent' AND updated_at >= @since),
                   MIN(created_at) FILTER (WHERE status IN ('queued', 'deferred'))
            FROM messages GROUP BY status
            """,
            new { since = sentSince.ToUniversalTime() });
        var counts = MessageStatuses.All.ToDictionary(s => s, _ => 0);
        var sent = 0;
        DateTimeOffset? oldest = null;
        foreach (var row in rows)
        {
            counts[MessageStatuses.Parse(row.Status)!.Value] = (int)row.Count;
            sent += (int)row.SentSince;
            if (PostgreSqlTime.Read(row.OldestCreated) is { } created && (oldest is null || created < oldest)) oldest = created;
        }
        return new QueueSummary(counts, sent, oldest);
    }

    private static async Task<Dictionary<string, MessageAttachment[]>> ReadAttachmentsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string[] ids)
    {
        var byMessage = ids.ToDictionary(id => id, _ => Array.Empty<MessageAttachment>());
        if (ids.Length == 0) return byMessage;
        var rows = await connection.QueryAsync<(string MessageId, string FileName, string ContentType, byte[] Content)>(
            """
            SELECT a.message_id, a.file_name, a.content_type, c.content
            FROM message_attachments a JOIN attachment_contents c ON c.sha256 = a.content_sha256
            WHERE a.message_id = ANY(@ids) ORDER BY a.message_id, a.position
            """,
            new { ids }, transaction);
        foreach (var group in rows.GroupBy(r => r.MessageId))
            byMessage[group.Key] = group.Select(a => new MessageAttachment(a.FileName, a.ContentType, a.Content)).ToArray();
        return byMessage;
    }

    private static Task InsertHistoryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string messageId, DateTimeOffset at,
        MessageStatus status, string reason, SmtpReply? reply, IReadOnlyList<RecipientOutcome>? recipients) =>
        connection.ExecuteAsync(
            """
            INSERT INTO message_history (message_id, at, status, reason, reply_code, reply_enhanced_code, reply_text, recipients_json)
            VALUES (@messageId, @at, @status, @reason, @code, @enhanced, @text, @recipients::jsonb)
            """,
            new
            {
                messageId, at = at.ToUniversalTime(), status = status.Name(), reason, code = reply?.Code, enhanced = reply?.EnhancedCode, text = reply?.Text,
                recipients = StoredDocuments.SerializeRecipients(recipients),
            },
            transaction);

    private record MessageRow(
        string Id, string Status, string DraftJson, int Attempts, string? StatusReason,
        DateTime CreatedAt, DateTime UpdatedAt, DateTime NextAttemptAt, DateTime? LeaseExpiresAt)
    {
        public QueuedMessage ToMessage(IReadOnlyList<MessageAttachment> attachments) => new()
        {
            Id = Id,
            Draft = StoredDocuments.DeserializeDraft(DraftJson, attachments),
            Status = MessageStatuses.Parse(Status)!.Value,
            StatusReason = StatusReason,
            Attempts = Attempts,
            CreatedAt = PostgreSqlTime.Read(CreatedAt),
            UpdatedAt = PostgreSqlTime.Read(UpdatedAt),
            NextAttemptAt = PostgreSqlTime.Read(NextAttemptAt),
            LeaseExpiresAt = PostgreSqlTime.Read(LeaseExpiresAt),
        };
    }

    private sealed record ClaimedRow(
        string LeaseToken, string Id, string Status, string DraftJson, int Attempts, string? StatusReason,
        DateTime CreatedAt, DateTime UpdatedAt, DateTime NextAttemptAt, DateTime? LeaseExpiresAt)
        : MessageRow(Id, Status, DraftJson, Attempts, StatusReason, CreatedAt, UpdatedAt, NextAttemptAt, LeaseExpiresAt);

    private sealed record HistoryRow(DateTime At, string Status, string Reason, int? ReplyCode, string? ReplyEnhancedCode, string? ReplyText, string? RecipientsJson);
}
