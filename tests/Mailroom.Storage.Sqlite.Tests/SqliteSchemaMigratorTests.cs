using Dapper;
using Microsoft.Data.Sqlite;

namespace Mailroom.Storage.Sqlite.Tests;

public class SqliteSchemaMigratorTests
{
    [Fact]
    public void EmbeddedScripts_AreNumberedFromOneWithoutGaps()
    {
        var versions = SqliteSchemaMigrator.Scripts.Select(s => s.Version).ToArray();

        Assert.Equal(Enumerable.Range(1, versions.Length), versions);
    }

    [Fact]
    public async Task FreshDatabase_IsMigratedToTheLatestVersion_InWalMode()
    {
        await using var backend = await SqliteBackend.CreateAsync();
        await using var connection = await backend.Database.OpenAsync();

        Assert.Equal(SqliteSchemaMigrator.LatestVersion, await backend.Info.GetSchemaVersionAsync());
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
    }

    [Fact]
    public async Task DatabaseFromANewerMailroom_IsRefusedWithAClearMessage()
    {
        await using var backend = await SqliteBackend.CreateAsync();
        await using (var connection = await backend.Database.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO schema_version (version, applied_at) VALUES (999, 'x')");
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new SqliteSchemaMigrator(backend.Database).MigrateAsync());

        Assert.Contains("newer", error.Message);
        Assert.Contains("999", error.Message);
        SqliteConnection.ClearAllPools();
    }
}
