using Dapper;

namespace Mailroom.Storage.Sqlite.Tests;

/// <summary>
/// Whether a commit is flushed to disk before its caller is answered: SQLite's <c>synchronous</c>
/// setting, which lives per connection, so every connection the database hands out (the group
/// commit's writer and the readers alike) must carry it.
/// </summary>
public class SqliteDurabilityTests
{
    // SQLite's numbers for PRAGMA synchronous.
    private const int Normal = 1, Full = 2;

    [Theory]
    [InlineData(null, Full)]   // the default: a power cut loses no accepted message
    [InlineData(true, Full)]
    [InlineData(false, Normal)]
    public async Task EveryConnection_FlushesCommitsAsConfigured(bool? flushEveryCommit, int expected)
    {
        var directory = Directory.CreateTempSubdirectory("mailroom-sqlite-sync-").FullName;
        try
        {
            var connectionString = $"Data Source={Path.Combine(directory, "mailroom.db")}";
            var database = flushEveryCommit is { } flush ? new SqliteDatabase(connectionString, flush) : new SqliteDatabase(connectionString);

            // The writer's own connection, inside a shared commit.
            var writer = await database.Writes.WriteAsync((c, t) => c.ExecuteScalarAsync<int>("PRAGMA synchronous", transaction: t));
            // Readers, several at once so the pool opens more than one handle, and again after they return to it.
            var readers = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
            {
                await using var connection = await database.OpenAsync();
                var value = await connection.ExecuteScalarAsync<int>("PRAGMA synchronous");
                await Task.Delay(50);
                return value;
            }));
            await using var again = await database.OpenAsync();

            Assert.Equal(expected, writer);
            Assert.All(readers, value => Assert.Equal(expected, value));
            Assert.Equal(expected, await again.ExecuteScalarAsync<int>("PRAGMA synchronous"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
