using System.Runtime.CompilerServices;
using Dapper;
using Mailroom.Core.Mail;
using Mailroom.Core.Mailings;
using Mailroom.Core.Storage;

namespace Mailroom.Storage.Sqlite;

/// <summary>Mass mailings in SQLite: rows linked to the queue's messages, written a batch per transaction.</summary>
public sealed class SqliteMailingStore(SqliteDatabase database) : IMailingStore
{
    private const string Columns = """
        id AS Id, name AS Name, template_name AS TemplateName, template_version AS TemplateVersion, language AS Language,
        sender_user_id AS SenderUserId, created_by AS CreatedBy, created_at AS CreatedAt, state AS State, total_rows AS TotalRows
        """;

    private const string MailingMessages = "SELECT message_id FROM mailing_rows WHERE mailing_id = @mailingId AND message_id IS NOT NULL";

    /// <inheritdoc />
    public Task CreateAsync(Mailing mailing, CancellationToken cancellationToken = default) =>
        database.Writes.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            """
            INSERT INTO mailings (id, name, template_name, template_version, language, sender_user_id, created_by, created_at, state, total_rows)
            VALUES (@Id, @Name, @TemplateName, @TemplateVersion, @Language, @SenderUserId, @CreatedBy, @at, @state, @TotalRows)
            """,
            new
            {
                mailing.Id, mailing.Name, mailing.TemplateName, mailing.TemplateVersion, mailing.Language, mailing.SenderUserId, mailing.CreatedBy,
                at = SqliteText.Time(mailing.CreatedAt), state = MailingDocuments.StateName(mailing.State), mailing.TotalRows,
            },
            transaction), cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Through the group commit like every queue write, in its own savepoint (all or nothing). The
    /// batch is encoded as JSON on the caller's thread first; the single writer then runs a handful
    /// of set-based statements for the whole batch (<see cref="SqliteMessageWriter"/>).
    /// </remarks>
    public Task AppendAsync(string mailingId, IReadOnlyList<MailingRow> rows, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var (messages, rowsJson) = Prepare(rows, now);
        var keyed = rows.Any(r => r.Draft?.IdempotencyKey is not null);
        return database.Writes.WriteAsync(async (connection, transaction) =>
        {
            if (keyed)
            {
                // A key its sender already used is a bad row with the reason (as on PostgreSQL), not a failed batch.
                var checkedRows = MailingDocuments.RefuseUsedKeys(rows, await UsedKeysAsync(connection, transaction, rows));
                if (!ReferenceEquals(checkedRows, rows)) (messages, rowsJson) = Prepare(checkedRows, now);
            }
            var state = await connection.ExecuteScalarAsync<string>("SELECT state FROM mailings WHERE id = @mailingId", new { mailingId }, transaction);
            await messages.WriteAsync(connection, transaction, state == "paused" ? MessageStatus.Held : MessageStatus.Queued, now);
            await SqliteMessageWriter.ExecuteAsync(connection, transaction,
                """
                INSERT INTO mailing_rows (mailing_id, row_number, address, message_id, problem_field, problem_code, problem_args_json)
                SELECT $mailingId, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each($rows) ORDER BY key
                """,
                ("$mailingId", mailingId), ("$rows", rowsJson));
            return rows.Count;
        }, cancellationToken);
    }

    private static (SqliteMessageWriter Messages, string RowsJson) Prepare(IReadOnlyList<MailingRow> rows, DateTimeOffset now)
    {
        var messages = SqliteMessageWriter.Prepare(rows.Where(r => r.Draft is not null).Select(r => r.Draft!).ToArray(), now);
        return (messages, EncodeRows(rows, messages.Ids));
    }

    // The (sender, key) pairs among the batch's keys that messages already carry (inside the writer's transaction: nothing slips in between).
    private static async Task<IReadOnlySet<(string Sender, string Key)>> UsedKeysAsync(Microsoft.Data.Sqlite.SqliteConnection connection,
        Microsoft.Data.Sqlite.SqliteTransaction transaction, IReadOnlyList<MailingRow> rows)
    {
        var keys = rows.Select(r => r.Draft?.IdempotencyKey).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var used = await connection.QueryAsync<(string Sender, string Key)>(
            "SELECT COALESCE(sender_user_id, ''), idempotency_key FROM messages WHERE idempotency_key IN (SELECT value FROM json_each(@keys))",
            new { keys = System.Text.Json.JsonSerializer.Serialize(keys) }, transaction);
        return used.ToHashSet();
    }

    // [row, address, messageId, problemField, problemCode, problemArgsJson] per row; good rows take the next id in order.
    private static string EncodeRows(IReadOnlyList<MailingRow> rows, string[] messageIds)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(rows.Count * 96 + 16);
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            var next = 0;
            foreach (var row in rows)
            {
                json.WriteStartArray();
                json.WriteNumberValue(row.Row);
                foreach (var text in new[] { row.Address, row.Draft is null ? null : messageIds[next++], row.Problem?.Field, row.Problem?.Code, MailingDocuments.SerializeArgs(row.Problem) })
                {
                    if (text is null) json.WriteNullValue();
                    else json.WriteStringValue(text);
                }
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <inheritdoc />
    public Task FinishFeedingAsync(string mailingId, int totalRows, CancellationToken cancellationToken = default) =>
        database.Writes.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "UPDATE mailings SET total_rows = @totalRows, state = CASE state WHEN 'feeding' THEN 'running' ELSE state END WHERE id = @mailingId",
            new { mailingId, totalRows }, transaction), cancellationToken);

    /// <inheritdoc />
    public async Task<Mailing?> GetAsync(string mailingId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<MailingRecord>($"SELECT {Columns} FROM mailings WHERE id = @mailingId", new { mailingId });
        return row?.ToMailing();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Mailing>> ListAsync(string? senderUserId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<MailingRecord>(
            $"SELECT {Columns} FROM mailings WHERE @senderUserId IS NULL OR sender_user_id = @senderUserId ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { senderUserId, limit });
        return rows.Select(r => r.ToMailing()).ToArray();
    }

    /// <inheritdoc />
    public async Task<MailingCounts> CountAsync(string mailingId, DateTimeOffset sentSince, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One pass over the mailing's messages for both the counts by status and the recently sent.
        var counts = (await connection.QueryAsync<(string Status, long Count, long SentSince)>(
            $"""
            SELECT status, COUNT(*), SUM(CASE WHEN status = 'sent' AND updated_at >= @since THEN 1 ELSE 0 END)
            FROM messages WHERE id IN ({MailingMessages}) GROUP BY status
            """,
            new { mailingId, since = SqliteText.Time(sentSince) })).ToArray();
        var rejected = await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM mailing_rows WHERE mailing_id = @mailingId AND message_id IS NULL", new { mailingId });
        return new MailingCounts(counts.ToDictionary(c => MessageStatuses.Parse(c.Status)!.Value, c => (int)c.Count), rejected, (int)counts.Sum(c => c.SentSince));
    }

    /// <inheritdoc />
    public Task<int?> ChangeStateAsync(string mailingId, MailingState state, string reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var (from, messagesFrom, messagesTo) = MailingDocuments.Transition(state);
        return database.Writes.WriteAsync<int?>(async (connection, transaction) =>
        {
            var changed = await connection.ExecuteAsync(
                "UPDATE mailings SET state = @state WHERE id = @mailingId AND state IN @from",
                new { mailingId, state = MailingDocuments.StateName(state), from }, transaction);
            if (changed == 0) return null;
            var at = SqliteText.Time(now);
            await connection.ExecuteAsync(
                $"""
                INSERT INTO message_history (message_id, at, status, reason)
                SELECT id, @at, @to, @reason FROM messages WHERE id IN ({MailingMessages}) AND status IN @messagesFrom
                """,
                new { mailingId, at, to = messagesTo.Name(), reason, messagesFrom }, transaction);
            return await connection.ExecuteAsync(
                $"""
                UPDATE messages SET status = @to, status_reason = @reason, updated_at = @at,
                    next_attempt_at = CASE WHEN @to = 'queued' THEN @at ELSE next_attempt_at END
                WHERE id IN ({MailingMessages}) AND status IN @messagesFrom
                """,
                new { mailingId, at, to = messagesTo.Name(), reason, messagesFrom }, transaction);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<MailingReportRow> ReadReportAsync(string mailingId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = connection.QueryUnbufferedAsync<ReportRecord>(
            """
            SELECT r.row_number AS Row, r.address AS Address, r.message_id AS MessageId, m.status AS Status, m.status_reason AS StatusReason,
                   m.updated_at AS UpdatedAt, r.problem_field AS ProblemField, r.problem_code AS ProblemCode, r.problem_args_json AS ProblemArgsJson
            FROM mailing_rows r LEFT JOIN messages m ON m.id = r.message_id
            WHERE r.mailing_id = @mailingId ORDER BY r.row_number
            """,
            new { mailingId });
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            yield return new MailingReportRow((int)row.Row, row.Address, row.MessageId, row.Status is null ? null : MessageStatuses.Parse(row.Status),
                row.StatusReason, SqliteText.OptionalTime(row.UpdatedAt), row.ProblemField, row.ProblemCode, row.ProblemArgsJson);
        }
    }

    private sealed record MailingRecord(
        string Id, string Name, string TemplateName, long TemplateVersion, string Language, string SenderUserId, string CreatedBy, string CreatedAt, string State, long TotalRows)
    {
        public Mailing ToMailing() => new()
        {
            Id = Id, Name = Name, TemplateName = TemplateName, TemplateVersion = (int)TemplateVersion, Language = Language, SenderUserId = SenderUserId,
            CreatedBy = CreatedBy, CreatedAt = SqliteText.Time(CreatedAt), State = MailingDocuments.ParseState(State), TotalRows = (int)TotalRows,
        };
    }

    private sealed record ReportRecord(
        long Row, string? Address, string? MessageId, string? Status, string? StatusReason, string? UpdatedAt, string? ProblemField, string? ProblemCode, string? ProblemArgsJson);
}
