using Mailroom.Core.Storage;
using Mailroom.Storage.Compliance;
using Microsoft.Data.Sqlite;

namespace Mailroom.Storage.Sqlite.Tests;

/// <summary>A real SQLite file in a private temp folder, migrated, deleted afterwards.</summary>
public sealed class SqliteBackend : IBounceStorageBackend
{
    private SqliteBackend(string directory, SqliteDatabase database)
    {
        Directory = directory;
        Database = database;
        Users = new SqliteUserStore(database);
        Settings = new SqliteSettingsStore(database);
        Info = new SqliteStorageInfo(database);
        Queue = new SqliteMessageQueueStorage(database);
        Suppressions = new SqliteSuppressionStore(database);
        InboundMail = new SqliteInboundMailStore(database);
        OAuthGrants = new SqliteOAuthGrantStore(database);
        Templates = new SqliteTemplateStore(database);
        Mailings = new SqliteMailingStore(database);
        Migrator = new SqliteStorageMigratorAdapter(new SqliteSchemaMigrator(database));
        var events = new SqliteEventStore(database);
        Events = events;
        Webhooks = events;
    }

    public string Directory { get; }
    public SqliteDatabase Database { get; }
    public string FilePath => Path.Combine(Directory, "mailroom.db");
    public IUserStore Users { get; }
    public ISettingsStore Settings { get; }
    public IStorageInfo Info { get; }
    public IStorageMigrator Migrator { get; }
    public Core.Queue.IMessageQueueStorage Queue { get; }
    public Core.Templates.ITemplateStore Templates { get; }
    public Core.Mailings.IMailingStore Mailings { get; }
    public IClusterLock ClusterLock { get; } = new InProcessClusterLock();
    public Core.Suppression.ISuppressionStore Suppressions { get; }
    public Core.Bounces.IInboundMailStore InboundMail { get; }
    public Core.OAuth.IOAuthGrantStore OAuthGrants { get; }
    public Core.Delivery.ISendRateLimiter RateLimiter { get; } = new Core.Delivery.InProcessSendRateLimiter(TimeProvider.System);
    public Core.Events.IEventStore Events { get; }
    public Core.Events.IWebhookStore Webhooks { get; }

    public async Task InsertHistoryRowAsync(string messageId, string status, bool commit)
    {
        await using var connection = await Database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = (SqliteTransaction)transaction;
        insert.CommandText = "INSERT INTO message_history (message_id, at, status, reason) VALUES ($id, '2026-11-22T10:00:00.0000000+00:00', $status, 'inserted by the test')";
        insert.Parameters.AddWithValue("$id", messageId);
        insert.Parameters.AddWithValue("$status", status);
        await insert.ExecuteNonQueryAsync();
        if (commit) await transaction.CommitAsync();
        else await transaction.RollbackAsync();
    }

    public async Task DeleteMessageRowsAsync(string messageId)
    {
        await using var connection = await Database.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        foreach (var table in new[] { "message_attachments", "message_history" })
            await Execute(connection, transaction, $"DELETE FROM {table} WHERE message_id = $id", messageId);
        await Execute(connection, transaction, "DELETE FROM messages WHERE id = $id", messageId);
        await transaction.CommitAsync();
    }

    public async Task<int> CountAttachmentContentsAsync()
    {
        await using var connection = await Database.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM attachment_contents";
        return Convert.ToInt32(await count.ExecuteScalarAsync());
    }

    public async Task DeleteAttachmentContentsAsync()
    {
        await using var connection = await Database.OpenAsync();
        await Execute(connection, null, "DELETE FROM attachment_contents", null);
    }

    private static async Task Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, string? id)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (id is not null) command.Parameters.AddWithValue("$id", id);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<SqliteBackend> CreateAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("mailroom-sqlite-").FullName;
        var database = new SqliteDatabase($"Data Source={Path.Combine(directory, "mailroom.db")}");
        var backend = new SqliteBackend(directory, database);
        await backend.Migrator.MigrateAsync();
        return backend;
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private sealed class SqliteStorageMigratorAdapter(SqliteSchemaMigrator migrator) : IStorageMigrator
    {
        public Task<int> MigrateAsync(CancellationToken cancellationToken = default) => migrator.MigrateAsync(cancellationToken);
    }
}

public sealed class SqliteUserStoreTests : UserStoreCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await SqliteBackend.CreateAsync();
}

public sealed class SqliteMessageQueueStorageTests : MessageQueueStorageCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await SqliteBackend.CreateAsync();
}

public sealed class SqliteSettingsStoreTests : SettingsStoreCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await SqliteBackend.CreateAsync();
}

public sealed class SqliteClusterTests : ClusterCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await SqliteBackend.CreateAsync();
}

public sealed class SqliteEventStoreTests : EventStoreCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await SqliteBackend.CreateAsync();
}

public sealed class SqliteWebhookStoreTests : WebhookStoreCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await SqliteBackend.CreateAsync();
}

public sealed class SqliteBounceStorageTests : BounceStorageCompliance
{
    protected override async Task<IBounceStorageBackend> CreateBackendAsync() => await SqliteBackend.CreateAsync();
}

public sealed class SqliteOAuthGrantStoreTests : OAuthGrantStoreCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await SqliteBackend.CreateAsync();
}

public sealed class SqliteTemplateAndMailingStoreTests : TemplateAndMailingStoreCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await SqliteBackend.CreateAsync();
}
