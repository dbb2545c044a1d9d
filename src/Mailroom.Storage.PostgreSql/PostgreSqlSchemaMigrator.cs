using Dapper;
using Mailroom.Core.Storage;

namespace Mailroom.Storage.PostgreSql;

/// <summary>
/// Brings the database to the newest schema by running the embedded scripts
/// <c>Schema/NNN_name.sql</c> it has not run yet, recording each in <c>schema_version</c>. The
/// numbers match the SQLite backend's scripts. PostgreSQL's DDL is transactional, so all the
/// missing scripts run in one transaction (a failing script leaves nothing behind), under a
/// transaction-level advisory lock, so several nodes starting together migrate once, in turn.
/// </summary>
public sealed class PostgreSqlSchemaMigrator(PostgreSqlDatabase database) : IStorageMigrator
{
    // An arbitrary constant: the advisory lock key every Mailroom node uses for migrations.
    private const long MigrationLockKey = 0x4D61696C_726F6F6D; // "Mailroom"

    private static readonly SchemaScripts Embedded = new(typeof(PostgreSqlSchemaMigrator).Assembly);

    /// <summary>The embedded scripts, ordered by their number.</summary>
    public static IReadOnlyList<(int Version, string Name)> Scripts => Embedded.All;

    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestVersion => Embedded.LatestVersion;

    /// <summary>Runs the missing scripts; returns the version the database is at.</summary>
    /// <exception cref="InvalidOperationException">The database was made by a newer Mailroom.</exception>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Held until commit: a second node waits here, then finds the work done.
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@MigrationLockKey)", new { MigrationLockKey }, transaction);
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)",
            transaction: transaction);
        var current = await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version", transaction: transaction) ?? 0;
        if (current > LatestVersion) throw Embedded.TooNew(database.Description, current);
        foreach (var (version, name) in Scripts.Where(s => s.Version > current))
        {
            await connection.ExecuteAsync(Embedded.Read(name), transaction: transaction);
            await connection.ExecuteAsync(
                "INSERT INTO schema_version (version, applied_at) VALUES (@version, now())", new { version }, transaction);
            current = version;
        }
        await transaction.CommitAsync(cancellationToken);
        return current;
    }
}
