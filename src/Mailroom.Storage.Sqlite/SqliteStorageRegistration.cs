using Mailroom.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Storage.Sqlite;

/// <summary>Registers the SQLite backend.</summary>
public static class SqliteStorageRegistration
{
    /// <summary>Uses the SQLite database at <paramref name="connectionString"/> for all of Mailroom's storage.</summary>
    public static IServiceCollection AddMailroomSqliteStorage(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(new SqliteDatabase(connectionString));
        services.AddSingleton<SqliteSchemaMigrator>();
        services.AddSingleton<IStorageMigrator>(sp => new SqliteStorageMigrator(sp.GetRequiredService<SqliteSchemaMigrator>()));
        services.AddSingleton<IUserStore, SqliteUserStore>();
        services.AddSingleton<ISettingsStore, SqliteSettingsStore>();
        services.AddSingleton<Core.Queue.IMessageQueueStorage, SqliteMessageQueueStorage>();
        services.AddSingleton<IStorageInfo, SqliteStorageInfo>();
        return services;
    }

    private sealed class SqliteStorageMigrator(SqliteSchemaMigrator migrator) : IStorageMigrator
    {
        public Task<int> MigrateAsync(CancellationToken cancellationToken = default) => migrator.MigrateAsync(cancellationToken);
    }
}
