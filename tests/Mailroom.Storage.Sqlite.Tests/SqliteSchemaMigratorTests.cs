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
    public async Task Version8_MovesExistingAttachmentBytesToSharedContents_AndDeliveryReadsThemBack()
    {
        var directory = Directory.CreateTempSubdirectory("mailroom-sqlite-").FullName;
        try
        {
            var database = new SqliteDatabase($"Data Source={Path.Combine(directory, "mailroom.db")}");
            var assembly = typeof(SqliteSchemaMigrator).Assembly;
            byte[] invoice = [37, 80, 68, 70, 0, 255], other = [1, 2, 3];
            await using (var connection = await database.OpenAsync())
            {
                // A database as Mailroom left it at version 7: two messages carrying the same bytes inline, one with other bytes.
                await connection.ExecuteAsync("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
                foreach (var (version, name) in SqliteSchemaMigrator.Scripts.Where(s => s.Version <= 7))
                {
                    await using var stream = assembly.GetManifestResourceStream(name)!;
                    await connection.ExecuteAsync(await new StreamReader(stream).ReadToEndAsync());
                    await connection.ExecuteAsync("INSERT INTO schema_version (version, applied_at) VALUES (@version, 'x')", new { version });
                }
                foreach (var (id, content) in new[] { ("m1", invoice), ("m2", invoice), ("m3", other) })
                {
                    await connection.ExecuteAsync(
                        """
                        INSERT INTO messages (id, status, priority, draft_json, attempts, created_at, updated_at, next_attempt_at)
                        VALUES (@id, 'queued', 1, '{"to":["a@example.com"],"cc":[],"bcc":[],"subject":"s","priority":"notification"}', 0,
                                '2026-11-22T10:00:00.0000000+00:00', '2026-11-22T10:00:00.0000000+00:00', '2026-11-22T10:00:00.0000000+00:00')
                        """, new { id });
                    await connection.ExecuteAsync(
                        "INSERT INTO message_attachments (message_id, position, file_name, content_type, content) VALUES (@id, 0, 'f.pdf', 'application/pdf', @content)",
                        new { id, content });
                }
            }

            Assert.Equal(SqliteSchemaMigrator.LatestVersion, await new SqliteSchemaMigrator(database).MigrateAsync());

            var queue = new SqliteMessageQueueStorage(database);
            Assert.Equal(invoice, Assert.Single((await queue.GetAsync("m1"))!.Draft.Attachments).Content);
            Assert.Equal(invoice, Assert.Single((await queue.GetAsync("m2"))!.Draft.Attachments).Content);
            Assert.Equal(other, Assert.Single((await queue.GetAsync("m3"))!.Draft.Attachments).Content);
            await using (var connection = await database.OpenAsync())
                Assert.Equal(2L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM attachment_contents"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
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
