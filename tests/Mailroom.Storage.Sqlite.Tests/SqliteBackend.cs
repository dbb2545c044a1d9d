using Mailroom.Core.Storage;
using Mailroom.Storage.Compliance;
using Microsoft.Data.Sqlite;

namespace Mailroom.Storage.Sqlite.Tests;

/// <summary>A real SQLite file in a private temp folder, migrated, deleted afterwards.</summary>
public sealed class SqliteBackend : IStorageBackend
{
    private SqliteBackend(string directory, SqliteDatabase database)
    {
        Directory = directory;
        Database = database;
        Users = new SqliteUserStore(database);
        Settings = new SqliteSettingsStore(database);
        Info = new SqliteStorageInfo(database);
        Queue = new SqliteMessageQueueStorage(database);
        Templates = new SqliteTemplateStore(database);
        Mailings = new SqliteMailingStore(database);
        Migrator = new SqliteStorageMigratorAdapter(new SqliteSchemaMigrator(database));
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
    public Core.Delivery.ISendRateLimiter RateLimiter { get; } = new Core.Delivery.InProcessSendRateLimiter(TimeProvider.System);

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

public sealed class SqliteTemplateAndMailingStoreTests : TemplateAndMailingStoreCompliance
{
    protected override async Task<IStorageBackend> CreateBackendAsync() => await SqliteBackend.CreateAsync();
}
