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
    public async Task Version8_MovesExistingAttachmentBytesToSharedContents_AndDeliveryReadsThemBack()
    {
        await using var backend = await PostgreSqlBackend.CreateUnmigratedAsync();
        var assembly = typeof(PostgreSqlSchemaMigrator).Assembly;
        byte[] invoice = [37, 80, 68, 70, 0, 255], other = [1, 2, 3];
        await using (var connection = await backend.Database.OpenAsync())
        {
            // A database as Mailroom left it at version 7: two messages carrying the same bytes inline, one with other bytes.
            await connection.ExecuteAsync("CREATE TABLE schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)");
            foreach (var (version, name) in PostgreSqlSchemaMigrator.Scripts.Where(s => s.Version <= 7))
            {
                await using var stream = assembly.GetManifestResourceStream(name)!;
                await connection.ExecuteAsync(await new StreamReader(stream).ReadToEndAsync());
                await connection.ExecuteAsync("INSERT INTO schema_version (version, applied_at) VALUES (@version, now())", new { version });
            }
            foreach (var (id, content) in new[] { ("m1", invoice), ("m2", invoice), ("m3", other) })
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO messages (id, status, priority, draft_json, attempts, created_at, updated_at, next_attempt_at)
                    VALUES (@id, 'queued', 1, '{"to":["a@example.com"],"cc":[],"bcc":[],"subject":"s","priority":"notification"}', 0, now(), now(), now())
                    """, new { id });
                await connection.ExecuteAsync(
                    "INSERT INTO message_attachments (message_id, position, file_name, content_type, content) VALUES (@id, 0, 'f.pdf', 'application/pdf', @content)",
                    new { id, content });
            }
        }

        Assert.Equal(PostgreSqlSchemaMigrator.LatestVersion, await backend.Migrator.MigrateAsync());

        Assert.Equal(invoice, Assert.Single((await backend.Queue.GetAsync("m1"))!.Draft.Attachments).Content);
        Assert.Equal(invoice, Assert.Single((await backend.Queue.GetAsync("m2"))!.Draft.Attachments).Content);
        Assert.Equal(other, Assert.Single((await backend.Queue.GetAsync("m3"))!.Draft.Attachments).Content);
        Assert.Equal(2, await backend.CountAttachmentContentsAsync());
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
