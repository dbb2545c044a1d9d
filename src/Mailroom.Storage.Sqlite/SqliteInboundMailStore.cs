using Dapper;
using Mailroom.Core.Bounces;
using Mailroom.Core.Storage;

namespace Mailroom.Storage.Sqlite;

/// <summary>Mail read from the bounce mailbox, in SQLite.</summary>
public sealed class SqliteInboundMailStore(SqliteDatabase database) : IInboundMailStore
{
    private const string Columns = """
        id AS Id, source_key AS SourceKey, received_at AS ReceivedAt, kind AS Kind, message_id AS MessageId, correlated_by AS CorrelatedBy,
        from_address AS FromAddress, subject AS Subject, detail AS Detail, recipients_json AS RecipientsJson, processed_at AS ProcessedAt
        """;

    /// <inheritdoc />
    public async Task<InboundMail> AddAsync(InboundMail mail, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var added = await connection.ExecuteAsync(
            """
            INSERT INTO inbound_mail (id, source_key, received_at, kind, message_id, correlated_by, from_address, subject, detail, recipients_json, raw, processed_at)
            VALUES (@Id, @SourceKey, @received, @kind, @MessageId, @CorrelatedBy, @From, @Subject, @Detail, @recipients, @Raw, @processed)
            ON CONFLICT (source_key) DO NOTHING
            """,
            new
            {
                mail.Id, mail.SourceKey, received = SqliteText.Time(mail.ReceivedAt), kind = InboundMailDocuments.KindName(mail.Kind), mail.MessageId, mail.CorrelatedBy,
                mail.From, mail.Subject, mail.Detail, recipients = StoredDocuments.Serialize(mail.Recipients), mail.Raw,
                processed = mail.ProcessedAt is { } at ? SqliteText.Time(at) : null,
            });
        return added == 1 ? mail : (await FindBySourceAsync(mail.SourceKey, cancellationToken))!;
    }

    /// <inheritdoc />
    public async Task<InboundMail?> FindBySourceAsync(string sourceKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns}, raw AS Raw FROM inbound_mail WHERE source_key = @sourceKey", new { sourceKey });
        return row?.ToMail();
    }

    /// <inheritdoc />
    public async Task MarkProcessedAsync(string id, string detail, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE inbound_mail SET processed_at = @at, detail = @detail WHERE id = @id", new { id, detail, at = SqliteText.Time(at) });
    }

    /// <inheritdoc />
    public async Task<InboundMail?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns}, raw AS Raw FROM inbound_mail WHERE id = @id", new { id });
        return row?.ToMail();
    }

    /// <inheritdoc />
    public async Task<InboundMailPage> ListAsync(InboundMailKind? kind, string? messageId, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row>(
            $"""
            SELECT {Columns}, NULL AS Raw FROM inbound_mail
            WHERE (@kind IS NULL OR kind = @kind) AND (@messageId IS NULL OR message_id = @messageId) AND (@cursor IS NULL OR id < @cursor)
            ORDER BY id DESC LIMIT @take
            """,
            new { kind = kind is { } k ? InboundMailDocuments.KindName(k) : null, messageId, cursor, take = limit + 1 })).ToArray();
        var page = rows.Take(limit).Select(r => r.ToMail()).ToArray();
        return new InboundMailPage(page, rows.Length > limit ? page[^1].Id : null);
    }

    private sealed record Row(
        string Id, string SourceKey, string ReceivedAt, string Kind, string? MessageId, string? CorrelatedBy, string? FromAddress, string? Subject,
        string Detail, string RecipientsJson, string? ProcessedAt, byte[]? Raw)
    {
        public InboundMail ToMail() => InboundMailDocuments.ToMail(
            Id, SourceKey, SqliteText.Time(ReceivedAt), Kind, MessageId, CorrelatedBy, FromAddress, Subject, Detail, RecipientsJson, SqliteText.OptionalTime(ProcessedAt), Raw);
    }
}
