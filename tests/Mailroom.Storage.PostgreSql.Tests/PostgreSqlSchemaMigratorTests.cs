using Dapper;

namespace Mailroom.Storage.PostgreSql.Tests;

public class PostgreSqlSchemaMigratorTests
{
    [Fact]
    public void EmbeddedScripts_HaveTheSameNumbersAsSqlite()
    {
        var postgreSql = PostgreSqlSchemaMigrator.Scripts.Select(s => s.Version).ToArray();

        Assert.Equal(Enumerable.Range(1, postgreSql.Length), postgreSql);
        Assert.Equal(
            Sqlite.SqliteSchemaMigrator.Scripts.Select(s => Path.GetFileNameWithoutExtension(s.Name).Split('.')[^1]),
            PostgreSqlSchemaMigrator.Scripts.Select(s => Path.GetFileNameWithoutExtension(s.Name).Split('.')[^1]));
    }

    [Fact]
    public async Task NodesStartingTogether_MigrateOnce_AndAllSeeTheLatestVersion()
    {
        await using var backend = await PostgreSqlBackend.CreateUnmigratedAsync();
        var nodes = Enumerable.Range(0, 4).Select(_ => new PostgreSqlDatabase(backend.ConnectionString)).ToArray();
        try
        {
            var versions = await Task.WhenAll(nodes.Select(node => new PostgreSqlSchemaMigrator(node).MigrateAsync()));

            Assert.All(versions, v => Assert.Equal(PostgreSqlSchemaMigrator.LatestVersion, v));
            await using var connection = await backend.Database.OpenAsync();
            Assert.Equal(PostgreSqlSchemaMigrator.Scripts.Count, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM schema_version"));
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task DatabaseFromANewerMailroom_IsRefusedWithAClearMessage()
    {
        await using var backend = await PostgreSqlBackend.CreateAsync();
        await using (var connection = await backend.Database.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO schema_version (version, applied_at) VALUES (999, now())");
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => backend.Migrator.MigrateAsync());

        Assert.Contains("newer", error.Message);
        Assert.Contains("999", error.Message);
    }
}
