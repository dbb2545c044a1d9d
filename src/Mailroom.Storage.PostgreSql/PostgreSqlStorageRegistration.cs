using Mailroom.Core.Delivery;
using Mailroom.Core.Queue;
using Mailroom.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Storage.PostgreSql;

/// <summary>Registers the PostgreSQL backend.</summary>
public static class PostgreSqlStorageRegistration
{
    /// <summary>
    /// Uses the PostgreSQL database at <paramref name="connectionString"/> (an Npgsql connection
    /// string) for all of Mailroom's storage. Every node of a deployment points at the same one.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string does not parse.</exception>
    public static IServiceCollection AddMailroomPostgreSqlStorage(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(new PostgreSqlDatabase(connectionString));
        services.AddSingleton<IStorageMigrator, PostgreSqlSchemaMigrator>();
        services.AddSingleton<IUserStore, PostgreSqlUserStore>();
        services.AddSingleton<PostgreSqlSettingsStore>();
        services.AddSingleton<ISettingsStore>(sp => new Core.Settings.CachedSettingsStore(sp.GetRequiredService<PostgreSqlSettingsStore>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<Core.OAuth.IOAuthGrantStore, PostgreSqlOAuthGrantStore>();
        services.AddSingleton<IMessageQueueStorage, PostgreSqlMessageQueueStorage>();
        services.AddSingleton<Core.Templates.ITemplateStore, PostgreSqlTemplateStore>();
        services.AddSingleton<Core.Mailings.IMailingStore, PostgreSqlMailingStore>();
        services.AddSingleton<IStorageInfo, PostgreSqlStorageInfo>();
        services.AddSingleton<PostgreSqlEventStore>();
        services.AddSingleton<Core.Events.IEventStore>(sp => sp.GetRequiredService<PostgreSqlEventStore>());
        services.AddSingleton<Core.Events.IWebhookStore>(sp => sp.GetRequiredService<PostgreSqlEventStore>());
        services.AddSingleton<Core.Suppression.ISuppressionStore, PostgreSqlSuppressionStore>();
        services.AddSingleton<Core.Bounces.IInboundMailStore, PostgreSqlInboundMailStore>();
        // What makes several nodes one deployment: shared sending caps, wake-ups, once-per-cluster jobs.
        services.AddSingleton<ISendRateLimiter, PostgreSqlSendRateLimiter>();
        services.AddSingleton<IQueueWakeupSource, PostgreSqlQueueWakeups>();
        services.AddSingleton<IClusterLock, PostgreSqlClusterLock>();
        return services;
    }
}
