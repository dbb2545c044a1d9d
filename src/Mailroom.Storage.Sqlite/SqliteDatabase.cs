using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Mailroom.Storage.Sqlite;

/// <summary>
/// Opens connections to one SQLite file with the settings every Mailroom connection needs:
/// write-ahead log (readers never block the writer), foreign keys on, and a busy timeout so a
/// concurrent writer makes the other wait instead of failing.
/// </summary>
public sealed class SqliteDatabase
{
    private static readonly object Configured = new();
    private readonly string _connectionString;
    private readonly string _handlePragmas;
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = new();

    /// <summary>
    /// Uses <paramref name="connectionString"/> (a Microsoft.Data.Sqlite connection string).
    /// <paramref name="flushEveryCommit"/> true (the default) flushes the write-ahead log to disk at
    /// every commit (<c>synchronous = FULL</c>), so what a commit stored survives a power cut; false
    /// flushes it at checkpoints only (<c>NORMAL</c>): safe against a process crash, not a power cut.
    /// Group commit shares one flush among the writes committed together.
    /// </summary>
    public SqliteDatabase(string connectionString, bool flushEveryCommit = true)
    {
        _handlePragmas = $"PRAGMA busy_timeout = 30000; PRAGMA synchronous = {(flushEveryCommit ? "FULL" : "NORMAL")};";
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            ForeignKeys = true,
            DefaultTimeout = 30,
            Pooling = true,
        };
        _connectionString = builder.ToString();
        DataSource = builder.DataSource;
        Writes = new SqliteGroupCommit(this);
    }

    /// <summary>The queue's writes, committed in groups (see <see cref="SqliteGroupCommit"/>).</summary>
    public SqliteGroupCommit Writes { get; }

    /// <summary>The database file.</summary>
    public string DataSource { get; }

    /// <summary>An open connection.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // The pool hands out the same SQLite handles again, and these settings stay with a handle:
        // set once per handle, not on every open (every read and write opens one).
        if (!_configured.TryGetValue(connection.Handle!, out _))
        {
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = _handlePragmas;
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            _configured.AddOrUpdate(connection.Handle!, Configured);
        }
        return connection;
    }
}
