using Dapper;
using Mailroom.Core.Suppression;

namespace Mailroom.Storage.Sqlite;

/// <summary>The suppression list in SQLite.</summary>
public sealed class SqliteSuppressionStore(SqliteDatabase database) : ISuppressionStore
{
    private const string Columns = "address AS Address, reason AS Reason, status AS Status, diagnostic_code AS DiagnosticCode, message_id AS MessageId, created_at AS CreatedAt";

    /// <inheritdoc />
    public async Task<bool> AddAsync(SuppressionEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            INSERT INTO suppressions (address, reason, status, diagnostic_code, message_id, created_at)
            VALUES (@address, @reason, @status, @diagnostic, @messageId, @at) ON CONFLICT (address) DO NOTHING
            """,
            new
            {
                address = SuppressionAddress.Normalize(entry.Address), reason = entry.Reason, status = entry.Status, diagnostic = entry.DiagnosticCode,
                messageId = entry.MessageId, at = SqliteText.Time(entry.CreatedAt),
            }) == 1;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SuppressionEntry>> FindAsync(IEnumerable<string> addresses, CancellationToken cancellationToken = default)
    {
        var wanted = addresses.Select(SuppressionAddress.Normalize).Distinct().ToArray();
        if (wanted.Length == 0) return [];
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>($"SELECT {Columns} FROM suppressions WHERE address IN @wanted ORDER BY address", new { wanted });
        return rows.Select(r => r.ToEntry()).ToArray();
    }

    /// <inheritdoc />
    public async Task<SuppressionPage> ListAsync(string? search, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row>(
            $"""
            SELECT {Columns} FROM suppressions
            WHERE (@search IS NULL OR instr(address, @search) > 0) AND (@cursor IS NULL OR address > @cursor)
            ORDER BY address LIMIT @take
            """,
            new { search = string.IsNullOrWhiteSpace(search) ? null : search.Trim().ToLowerInvariant(), cursor, take = limit + 1 })).ToArray();
        var page = rows.Take(limit).Select(r => r.ToEntry()).ToArray();
        return new SuppressionPage(page, rows.Length > limit ? page[^1].Address : null);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(string address, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM suppressions WHERE address = @address", new { address = SuppressionAddress.Normalize(address) }) == 1;
    }

    private sealed record Row(string Address, string Reason, string? Status, string? DiagnosticCode, string? MessageId, string CreatedAt)
    {
        public SuppressionEntry ToEntry() => new(Address, Reason, Status, DiagnosticCode, MessageId, SqliteText.Time(CreatedAt));
    }
}
