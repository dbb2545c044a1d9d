using System.Runtime.CompilerServices;
using Dapper;
using Mailroom.Core.Mail;
using Mailroom.Core.Mailings;
using Mailroom.Core.Storage;

namespace Mailroom.Storage.PostgreSql;

/// <summary>Mass mailings in PostgreSQL: rows linked to the queue's messages, written a batch per transaction.</summary>
public sealed class PostgreSqlMailingStore(PostgreSqlDatabase database) : IMailingStore
{
    private const string Columns = """
        id AS Id, name AS Name, template_name AS TemplateName, template_version AS TemplateVersion, language AS Language,
        sender_user_id AS SenderUserId, created_by AS CreatedBy, created_at AS CreatedAt, state AS State, total_rows AS TotalRows
        """;

    private const string MailingMessages = "SELECT message_id FROM mailing_rows WHERE mailing_id = @mailingId AND message_id IS NOT NULL";

    /// <inheritdoc />
    public async Task CreateAsync(Mailing mailing, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO mailings (id, name, template_name, template_version, language, sender_user_id, created_by, created_at, state, total_rows)
            VALUES (@Id, @Name, @TemplateName, @TemplateVersion, @Language, @SenderUserId, @CreatedBy, @at, @state, @TotalRows)
            """,
            new
            {
                mailing.Id, mailing.Name, mailing.TemplateName, mailing.TemplateVersion, mailing.Language, mailing.SenderUserId, mailing.CreatedBy,
                at = mailing.CreatedAt.ToUniversalTime(), state = MailingDocuments.StateName(mailing.State), mailing.TotalRows,
            });
    }

    /// <inheritdoc />
    public async Task AppendAsync(string mailingId, IReadOnlyList<MailingRow> rows, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await connection.ExecuteScalarAsync<string>("SELECT state FROM mailings WHERE id = @mailingId", new { mailingId }, transaction);
        var status = state == "paused" ? MessageStatus.Held : MessageStatus.Queued;
        var good = rows.Where(r => r.Draft is not null).ToArray();
        var ids = await PostgreSqlMessageWriter.InsertAsync(connection, transaction, good.Select(r => r.Draft!).ToArray(), status, now);
        var messageIds = new Dictionary<int, string?>(good.Length);
        for (var i = 0; i < good.Length; i++) messageIds[good[i].Row] = ids[i];
        // A message not inserted had an idempotency key its sender already used (ON CONFLICT DO NOTHING): a bad row with that reason.
        rows = rows.Select(r => r.Draft is not null && messageIds[r.Row] is null ? MailingDocuments.KeyAlreadyUsed(r) : r).ToArray();
        await connection.ExecuteAsync(
            """
            INSERT INTO mailing_rows (mailing_id, row_number, address, message_id, problem_field, problem_code, problem_args_json)
            SELECT @mailingId, t.row_number, t.address, t.message_id, t.field, t.code, t.args
            FROM unnest(@rowNumbers::int[], @addresses::text[], @messageIds::text[], @fields::text[], @codes::text[], @args::text[])
                 AS t(row_number, address, message_id, field, code, args)
            """,
            new
            {
                mailingId,
                rowNumbers = rows.Select(r => r.Row).ToArray(), addresses = rows.Select(r => r.Address).ToArray(),
                messageIds = rows.Select(r => r.Draft is null ? null : messageIds[r.Row]).ToArray(),
                fields = rows.Select(r => r.Problem?.Field).ToArray(), codes = rows.Select(r => r.Problem?.Code).ToArray(),
                args = rows.Select(r => MailingDocuments.SerializeArgs(r.Problem)).ToArray(),
            },
            transaction);
        if (status == MessageStatus.Queued && rows.Any(r => r.Draft is not null)) await PostgreSqlMessageQueueStorage.NotifyAsync(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task FinishFeedingAsync(string mailingId, int totalRows, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE mailings SET total_rows = @totalRows, state = CASE state WHEN 'feeding' THEN 'running' ELSE state END WHERE id = @mailingId",
            new { mailingId, totalRows });
    }

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
            $"SELECT {Columns} FROM mailings WHERE @senderUserId::text IS NULL OR sender_user_id = @senderUserId ORDER BY created_at DESC, id DESC LIMIT @limit",
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
            SELECT status, COUNT(*), COUNT(*) FILTER (WHERE status = 'sent' AND updated_at >= @since)
            FROM messages WHERE id IN ({MailingMessages}) GROUP BY status
            """,
            new { mailingId, since = sentSince.ToUniversalTime() })).ToArray();
        var rejected = await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM mailing_rows WHERE mailing_id = @mailingId AND message_id IS NULL", new { mailingId });
        return new MailingCounts(counts.ToDictionary(c => MessageStatuses.Parse(c.Status)!.Value, c => (int)c.Count), rejected, (int)counts.Sum(c => c.SentSince));
    }

    /// <inheritdoc />
    public async Task<int?> ChangeStateAsync(string mailingId, MailingState state, string reason, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var (from, messagesFrom, messagesTo) = MailingDocuments.Transition(state);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            "UPDATE mailings SET state = @state WHERE id = @mailingId AND state = ANY(@from)",
            new { mailingId, state = MailingDocuments.StateName(state), from }, transaction);
        if (changed == 0) return null;
        var at = now.ToUniversalTime();
        await connection.ExecuteAsync(
            $"""
            INSERT INTO message_history (message_id, at, status, reason)
            SELECT id, @at, @to, @reason FROM messages WHERE id IN ({MailingMessages}) AND status = ANY(@messagesFrom)
            """,
            new { mailingId, at, to = messagesTo.Name(), reason, messagesFrom }, transaction);
        var moved = await connection.ExecuteAsync(
            $"""
            UPDATE messages SET status = @to, status_reason = @reason, updated_at = @at,
                next_attempt_at = CASE WHEN @to::text = 'queued' THEN @at ELSE next_attempt_at END
            WHERE id IN ({MailingMessages}) AND status = ANY(@messagesFrom)
            """,
            new { mailingId, at, to = messagesTo.Name(), reason, messagesFrom }, transaction);
        if (messagesTo == MessageStatus.Queued && moved > 0) await PostgreSqlMessageQueueStorage.NotifyAsync(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return moved;
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
            yield return new MailingReportRow(row.Row, row.Address, row.MessageId, row.Status is null ? null : MessageStatuses.Parse(row.Status),
                row.StatusReason, PostgreSqlTime.Read(row.UpdatedAt), row.ProblemField, row.ProblemCode, row.ProblemArgsJson);
        }
    }

    private sealed record MailingRecord(
        string Id, string Name, string TemplateName, int TemplateVersion, string Language, string SenderUserId, string CreatedBy, DateTime CreatedAt, string State, int TotalRows)
    {
        public Mailing ToMailing() => new()
        {
            Id = Id, Name = Name, TemplateName = TemplateName, TemplateVersion = TemplateVersion, Language = Language, SenderUserId = SenderUserId,
            CreatedBy = CreatedBy, CreatedAt = PostgreSqlTime.Read(CreatedAt), State = MailingDocuments.ParseState(State), TotalRows = TotalRows,
        };
    }

    private sealed record ReportRecord(
        int Row, string? Address, string? MessageId, string? Status, string? StatusReason, DateTime? UpdatedAt, string? ProblemField, string? ProblemCode, string? ProblemArgsJson);
}
