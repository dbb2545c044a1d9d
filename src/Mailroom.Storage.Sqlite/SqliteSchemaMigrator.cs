using Dapper;
using Mailroom.Core.Storage;

namespace Mailroom.Storage.Sqlite;

/// <summary>
/// Brings the database to the newest schema by running the embedded scripts
/// <c>Schema/NNN_name.sql</c> it has not run yet, each in its own transaction, recording
/// each in <c>schema_version</c>. The numbers match the PostgreSQL backend's scripts.
/// </summary>
public sealed class SqliteSchemaMigrator(SqliteDatabase database)
{
    private static readonly SchemaScripts Embedded = new(typeof(SqliteSchemaMigrator).Assembly);

    /// <summary>The embedded scripts, ordered by their number.</summary>
    public static IReadOnlyList<(int Version, string Name)> Scripts => Embedded.All;

    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestVersion => Embedded.LatestVersion;

    /// <summary>Runs the missing scripts; returns the version the database is at.</summary>
    /// <exception cref="InvalidOperationException">The database was made by a newer Mailroom.</exception>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        // Script 008 moves existing attachment bytes to content-addressed storage: it needs the key function.
        connection.CreateFunction("mailroom_sha256", (byte[] content) => AttachmentContents.KeyOf(content), isDeterministic: true);
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
        var current = await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version") ?? 0;
        if (current > LatestVersion)
        {
            throw Embedded.TooNew(database.DataSource, current);
        }
        foreach (var (version, name) in Scripts.Where(s => s.Version > current))
        {
            var sql = Embedded.Read(name);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(sql, transaction: transaction);
            await connection.ExecuteAsync(
                "INSERT INTO schema_version (version, applied_at) VALUES (@version, @at)",
                new { version, at = DateTimeOffset.UtcNow.ToString("O") }, transaction);
            await transaction.CommitAsync(cancellationToken);
            current = version;
        }
        return current;
    }
}
