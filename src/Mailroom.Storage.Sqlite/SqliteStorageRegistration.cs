using Mailroom.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Storage.Sqlite;

/// <summary>Registers the SQLite backend.</summary>
public static class SqliteStorageRegistration
{
    /// <summary>
    /// Uses the SQLite database at <paramref name="connectionString"/> for all of Mailroom's storage;
    /// <paramref name="flushEveryCommit"/> as in <see cref="SqliteDatabase(string, bool)"/>.
    /// </summary>
    public static IServiceCollection AddMailroomSqliteStorage(this IServiceCollection services, string connectionString, bool flushEveryCommit = true)
    {
        services.AddSingleton(new SqliteDatabase(connectionString, flushEveryCommit));
        services.AddSingleton<SqliteSchemaMigrator>();
        services.AddSingleton<IStorageMigrator>(sp => new SqliteStorageMigrator(sp.GetRequiredService<SqliteSchemaMigrator>()));
        services.AddSingleton<IUserStore, SqliteUserStore>();
        services.AddSingleton<SqliteSettingsStore>();
        services.AddSingleton<ISettingsStore>(sp => new Core.Settings.CachedSettingsStore(sp.GetRequiredService<SqliteSettingsStore>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<Core.OAuth.IOAuthGrantStore, SqliteOAuthGrantStore>();
        services.AddSingleton<Core.Queue.IMessageQueueStorage, SqliteMessageQueueStorage>();
        services.AddSingleton<IStorageInfo, SqliteStorageInfo>();
        services.AddSingleton<SqliteEventStore>();
        services.AddSingleton<Core.Events.IEventStore>(sp => sp.GetRequiredService<SqliteEventStore>());
        services.AddSingleton<Core.Events.IWebhookStore>(sp => sp.GetRequiredService<SqliteEventStore>());
        services.AddSingleton<Core.Suppression.ISuppressionStore, SqliteSuppressionStore>();
        services.AddSingleton<Core.Bounces.IInboundMailStore, SqliteInboundMailStore>();
        services.AddSingleton<Core.Templates.ITemplateStore, SqliteTemplateStore>();
        services.AddSingleton<Core.Mailings.IMailingStore, SqliteMailingStore>();
        // One node: sending caps and once-per-cluster jobs are this process's business, and the
        // process's own QueueSignal is the only wake-up needed (no IQueueWakeupSource).
        services.AddSingleton<Core.Delivery.ISendRateLimiter>(sp => new Core.Delivery.InProcessSendRateLimiter(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<IClusterLock, InProcessClusterLock>();
        return services;
    }

    private sealed class SqliteStorageMigrator(SqliteSchemaMigrator migrator) : IStorageMigrator
    {
        public Task<int> MigrateAsync(CancellationToken cancellationToken = default) => migrator.MigrateAsync(cancellationToken);
    }
}
