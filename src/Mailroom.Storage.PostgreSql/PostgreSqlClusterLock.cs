using Dapper;
using Mailroom.Core.Storage;
using Npgsql;

namespace Mailroom.Storage.PostgreSql;

/// <summary>
/// Cluster-wide named locks as PostgreSQL session advisory locks, each held on a connection of its
/// own outside the pool: disposing the holding unlocks and closes it, and if the node dies the
/// database ends the session and the lock is free for another node.
/// </summary>
public sealed class PostgreSqlClusterLock(PostgreSqlDatabase database) : IClusterLock
{
    /// <inheritdoc />
    public async Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        var connection = await database.OpenDedicatedAsync(cancellationToken);
        try
        {
            if (await connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(hashtextextended(@lockName, 0))", new { lockName = LockName(name) }))
                return new Holding(connection, name);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    private static string LockName(string name) => "mailroom.job:" + name;

    private sealed class Holding(NpgsqlConnection connection, string name) : IAsyncDisposable
    {
        private int _released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            try
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(hashtextextended(@lockName, 0))", new { lockName = LockName(name) });
            }
            catch (NpgsqlException)
            {
                // The session is gone already, and its locks with it.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
