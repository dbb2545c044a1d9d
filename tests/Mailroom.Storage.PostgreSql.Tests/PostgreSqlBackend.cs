using Mailroom.Core.Delivery;
using Mailroom.Core.Queue;
using Mailroom.Core.Storage;
using Mailroom.Storage.Compliance;
using Mailroom.Testing;

namespace Mailroom.Storage.PostgreSql.Tests;

/// <summary>A fresh database on the private PostgreSQL test bed, migrated; its pool closed afterwards.</summary>
public sealed class PostgreSqlBackend : IStorageBackend
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

public sealed class PostgreSqlTemplateAndMailingStoreTests : TemplateAndMailingStoreCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await PostgreSqlBackend.CreateAsync();
}
