using Mailroom.Core.Delivery;
using Mailroom.Core.Queue;
using Mailroom.Core.Storage;
using Mailroom.Storage.Compliance;
using Mailroom.Testing;

namespace Mailroom.Storage.PostgreSql.Tests;

/// <summary>A fresh database on the private PostgreSQL test bed, migrated; its pool closed afterwards.</summary>
public sealed class PostgreSqlBackend : IBounceStorageBackend
{
    private PostgreSqlBackend(string connectionString)
    {
        ConnectionString = connectionString;
        Database = new PostgreSqlDatabase(connectionString);
        Users = new PostgreSqlUserStore(Database);
        Settings = new PostgreSqlSettingsStore(Database);
        Info = new PostgreSqlStorageInfo(Database);
        Queue = new PostgreSqlMessageQueueStorage(Database);
        Templates = new PostgreSqlTemplateStore(Database);
        Mailings = new PostgreSqlMailingStore(Database);
        Migrator = new PostgreSqlSchemaMigrator(Database);
        ClusterLock = new PostgreSqlClusterLock(Database);
        RateLimiter = new PostgreSqlSendRateLimiter(Database);
        var events = new PostgreSqlEventStore(Database);
        Events = events;
        Webhooks = events;
        Suppressions = new PostgreSqlSuppressionStore(Database);
        InboundMail = new PostgreSqlInboundMailStore(Database);
        OAuthGrants = new PostgreSqlOAuthGrantStore(Database);
    }

    public string ConnectionString { get; }
    public PostgreSqlDatabase Database { get; }
    public IUserStore Users { get; }
    public ISettingsStore Settings { get; }
    public IStorageInfo Info { get; }
    public IStorageMigrator Migrator { get; }
    public IMessageQueueStorage Queue { get; }
    public Core.Templates.ITemplateStore Templates { get; }
    public Core.Mailings.IMailingStore Mailings { get; }
    public IClusterLock ClusterLock { get; }
    public ISendRateLimiter RateLimiter { get; }
    public Core.Events.IEventStore Events { get; }
    public Core.Events.IWebhookStore Webhooks { get; }

    public async Task InsertHistoryRowAsync(string messageId, string status, bool commit)
    {
        await using var connection = await Database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var insert = new Npgsql.NpgsqlCommand(
            "INSERT INTO message_history (message_id, at, status, reason) VALUES (@id, now(), @status, 'inserted by the test')", connection, transaction);
        insert.Parameters.AddWithValue("id", messageId);
        insert.Parameters.AddWithValue("status", status);
        await insert.ExecuteNonQueryAsync();
        if (commit) await transaction.CommitAsync();
        else await transaction.RollbackAsync();
    }

    public async Task DeleteMessageRowsAsync(string messageId)
    {
        await using var connection = await Database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var sql in new[]
                 {
                     "DELETE FROM message_attachments WHERE message_id = @id", "DELETE FROM message_history WHERE message_id = @id", "DELETE FROM messages WHERE id = @id",
                 })
        {
            await using var delete = new Npgsql.NpgsqlCommand(sql, connection, transaction);
            delete.Parameters.AddWithValue("id", messageId);
            await delete.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    public async Task<int> CountAttachmentContentsAsync()
    {
        await using var connection = await Database.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM attachment_contents", connection);
        return Convert.ToInt32(await count.ExecuteScalarAsync());
    }

    public async Task DeleteAttachmentContentsAsync()
    {
        await using var connection = await Database.OpenAsync();
        await using var delete = new Npgsql.NpgsqlCommand("DELETE FROM attachment_contents", connection);
        await delete.ExecuteNonQueryAsync();
    }

    public Core.Suppression.ISuppressionStore Suppressions { get; }
    public Core.Bounces.IInboundMailStore InboundMail { get; }
    public Core.OAuth.IOAuthGrantStore OAuthGrants { get; }

    /// <summary>A new empty database, migrated.</summary>
    public static async Task<PostgreSqlBackend> CreateAsync()
    {
        var backend = await CreateUnmigratedAsync();
        await backend.Migrator.MigrateAsync();
        return backend;
    }

    /// <summary>A new empty database, not yet migrated.</summary>
    public static async Task<PostgreSqlBackend> CreateUnmigratedAsync() =>
        new(await PostgresTestbed.Instance.CreateDatabaseAsync("compliance"));

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}

public sealed class PostgreSqlUserStoreTests : UserStoreCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await PostgreSqlBackend.CreateAsync();
}

public sealed class PostgreSqlMessageQueueStorageTests : MessageQueueStorageCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await PostgreSqlBackend.CreateAsync();
}

public sealed class PostgreSqlSettingsStoreTests : SettingsStoreCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await PostgreSqlBackend.CreateAsync();
}

public sealed class PostgreSqlClusterTests : ClusterCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await PostgreSqlBackend.CreateAsync();
}

public sealed class PostgreSqlEventStoreTests : EventStoreCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await PostgreSqlBackend.CreateAsync();
}

public sealed class PostgreSqlWebhookStoreTests : WebhookStoreCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await PostgreSqlBackend.CreateAsync();
}

public sealed class PostgreSqlBounceStorageTests : BounceStorageCompliance
{
    protected override async Task<IBounceStorageBackend> CreateBackendAsync() => await PostgreSqlBackend.CreateAsync();
}

public sealed class PostgreSqlOAuthGrantStoreTests : OAuthGrantStoreCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await PostgreSqlBackend.CreateAsync();
}

public sealed class PostgreSqlTemplateAndMailingStoreTests : TemplateAndMailingStoreCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await PostgreSqlBackend.CreateAsync();
}
