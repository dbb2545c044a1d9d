using System.Reflection;
using Dapper;

namespace Mailroom.Storage.Sqlite;

/// <summary>
/// Brings the database to the newest schema by running the embedded scripts
/// <c>Schema/NNN_name.sql</c> it has not run yet, each in its own transaction, recording
/// each in <c>schema_version</c>. The numbers match the PostgreSQL backend's scripts.
/// </summary>
public sealed class SqliteSchemaMigrator(SqliteDatabase database)
{
    /// <summary>The embedded scripts, ordered by their number.</summary>
    public static IReadOnlyList<(int Version, string Name)> Scripts { get; } = typeof(SqliteSchemaMigrator).Assembly
        .GetManifestResourceNames()
        .Where(n => n.EndsWith(".sql", StringComparison.Ordinal))
        .Select(n => (Version: int.Parse(n.Split('.')[^2][..3]), Name: n))
        .OrderBy(s => s.Version)
        .ToArray();

    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestVersion => Scripts.Count == 0 ? 0 : Scripts[^1].Version;

    /// <summary>Runs the missing scripts; returns the version the database is at.</summary>
    /// <exception cref="InvalidOperationException">The database was made by a newer Mailroom.</exception>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
        var current = await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version") ?? 0;
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The database {database.DataSource} is at schema version {current}, newer than this Mailroom knows ({LatestVersion}). Upgrade Mailroom.");
        }
        foreach (var (version, name) in Scripts.Where(s => s.Version > current))
        {
            var sql = ReadScript(name);
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

    private static string ReadScript(string resourceName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Missing embedded schema script {resourceName}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
