using Mailroom.Core.Delivery;
using Mailroom.Core.Queue;
using Mailroom.Core.Security;
using Mailroom.Core.Settings;
using Mailroom.Storage.PostgreSql;
using Mailroom.Storage.Sqlite;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mailroom.Hosting;

/// <summary>
/// Registers Mailroom in a host application: <c>services.AddMailroom(o =&gt; …)</c>. The server
/// is built from the same steps, so a host application and a server on one data folder or one
/// PostgreSQL database share the queue, the settings and the encryption keys.
/// </summary>
public static class MailroomServiceCollectionExtensions
{
    /// <summary>
    /// Everything needed to submit mail and deliver it from this process: the storage backend
    /// (migrated when the host starts), the secret protector, the settings and submission
    /// services, <see cref="MailroomMailer"/>, and — unless <c>Delivery.WorkerEnabled</c> is
    /// false — the delivery worker. Options are validated when the host starts.
    /// </summary>
    /// <param name="services">The host application's services.</param>
    /// <param name="configure">Sets the options (the same tree as the server's <c>Mailroom</c> section).</param>
    public static IServiceCollection AddMailroom(this IServiceCollection services, Action<MailroomOptions>? configure = null)
    {
        var options = new MailroomOptions();
        configure?.Invoke(options);
        services.AddOptions<MailroomOptions>().Configure(o => configure?.Invoke(o)).ValidateMailroom();
        Directory.CreateDirectory(options.DataDirectoryFullPath);
        services.AddMailroomStorage(options);
        services.AddMailroomSecrets(options);
        services.AddMailroomServices();
        // Hosted services start in registration order: the schema is current before the worker claims.
        services.AddHostedService<StorageMigration>();
        services.AddMailroomDelivery(options);
        return services;
    }

    /// <summary>The checks every Mailroom options tree passes at start; a bad value stops the host with the reason.</summary>
    public static OptionsBuilder<MailroomOptions> ValidateMailroom(this OptionsBuilder<MailroomOptions> builder)
    {
        // Each section is a part of the one options object, not bound a second time.
        builder.Services.TryAddSingleton<IOptions<DeliveryOptions>>(sp => Options.Create(sp.GetRequiredService<IOptions<MailroomOptions>>().Value.Delivery));
        builder.Services.TryAddSingleton<IOptions<WebhookOptions>>(sp => Options.Create(sp.GetRequiredService<IOptions<MailroomOptions>>().Value.Webhooks));
        builder.Services.TryAddSingleton<IOptions<BounceOptions>>(sp => Options.Create(sp.GetRequiredService<IOptions<MailroomOptions>>().Value.Bounces));
        builder.Services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<MailroomOptions>>().Value.Templates);
        builder.Services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<MailroomOptions>>().Value.OAuth);
        return builder
            .ValidateDataAnnotations()
            .Validate(o => o.Storage.Kind is not null,
                "Mailroom:Storage:Provider must be 'sqlite' (the embedded default) or 'postgresql'.")
            .Validate(o => o.Storage.Kind != StorageProvider.PostgreSql || !string.IsNullOrWhiteSpace(o.Storage.ConnectionString),
                "Mailroom:Storage:Provider is 'postgresql' but Mailroom:Storage:ConnectionString is missing; set it to an Npgsql connection string, e.g. \"Host=db.example;Database=mailroom;Username=mailroom;Password=…\" (Mailroom__Storage__ConnectionString).")
            .Validate(o => o.Storage.SqliteFlushesEveryCommit is not null,
                "Mailroom:Storage:SqliteSynchronous must be 'full' (the default: every commit flushed to disk) or 'normal' (flushed at checkpoints).")
            .Validate(o => o.Limits.MaxRequestBodyBytes >= 1024, "Mailroom:Limits:MaxRequestBodyBytes must be at least 1024.")
            .Validate(o => o.Limits.MaxUploadBytes >= 1024, "Mailroom:Limits:MaxUploadBytes must be at least 1024.")
            .Validate(o => o.Limits.MaxRecipients >= 1 && o.Limits.MaxAttachmentBytes >= 0 && o.Limits.MaxBodyLength >= 1,
                "Mailroom:Limits:MaxRecipients and MaxBodyLength must be positive, MaxAttachmentBytes not negative.")
            .Validate(o => o.Security.SessionTimeout >= TimeSpan.FromSeconds(1), "Mailroom:Security:SessionTimeout must be at least one second.")
            .Validate(o => o.Bootstrap.AdminApiKey is null || (o.Bootstrap.AdminApiKey.Length >= 24 && !o.Bootstrap.AdminApiKey.Any(char.IsWhiteSpace)),
                "Mailroom:Bootstrap:AdminApiKey must be at least 24 characters without spaces.")
            .Validate(o => o.Delivery.BatchSize is >= 1 and <= 1000, "Mailroom:Delivery:BatchSize must be 1–1000.")
            .Validate(o => o.Delivery.Concurrency is >= 1 and <= 256, "Mailroom:Delivery:Concurrency must be 1–256.")
            .Validate(o => o.Delivery.MaxConnectionsPerServer is >= 1 and <= 100, "Mailroom:Delivery:MaxConnectionsPerServer must be 1–100.")
            .Validate(o => o.Delivery.LeaseDuration >= TimeSpan.FromSeconds(1), "Mailroom:Delivery:LeaseDuration must be at least one second.")
            .Validate(o => o.Delivery.ToRetryOptions() is not null, "Mailroom:Delivery:RetryDelays must be a comma-separated list of positive TimeSpans, e.g. \"00:01:00, 00:05:00, 01:00:00\".")
            .Validate(o => o.Delivery.MaximumAge > TimeSpan.Zero, "Mailroom:Delivery:MaximumAge must be positive.")
            .Validate(o => o.Delivery.RateLimitMinute >= TimeSpan.FromSeconds(1), "Mailroom:Delivery:RateLimitMinute must be at least one second.")
            .Validate(o => o.Webhooks.ToRetryOptions() is not null, "Mailroom:Webhooks:RetryDelays must be a comma-separated list of positive TimeSpans, e.g. \"00:00:10, 00:01:00, 00:05:00\".")
            .Validate(o => o.Webhooks.MaxAttempts is >= 1 and <= 100, "Mailroom:Webhooks:MaxAttempts must be 1–100.")
            .Validate(o => o.Webhooks.Concurrency is >= 1 and <= 64, "Mailroom:Webhooks:Concurrency must be 1–64.")
            .Validate(o => o.Webhooks.RequestTimeout >= TimeSpan.FromMilliseconds(100), "Mailroom:Webhooks:RequestTimeout must be at least 100 ms.")
            .Validate(o => o.Webhooks.PollInterval >= TimeSpan.FromMilliseconds(10), "Mailroom:Webhooks:PollInterval must be at least 10 ms.")
            .Validate(o => string.IsNullOrWhiteSpace(o.Bounces.Domain) || Core.Bounces.BounceAddressOptions.IsValidDomain(o.Bounces.Domain),
                "Mailroom:Bounces:Domain must be a domain name: dot-separated labels of letters, digits and hyphens, e.g. bounces.example.net.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Bounces.LocalPart) && o.Bounces.LocalPart.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_'),
                "Mailroom:Bounces:LocalPart must be letters, digits, '.', '-' or '_' (it is followed by +<message id>).")
            .Validate(o => o.Bounces.Imap.Port is >= 1 and <= 65535, "Mailroom:Bounces:Imap:Port must be 1–65535.")
            .Validate(o => o.Bounces.Imap.PollInterval >= TimeSpan.FromMilliseconds(100) && o.Bounces.Imap.IdleRestart >= TimeSpan.FromMilliseconds(100),
                "Mailroom:Bounces:Imap:PollInterval and IdleRestart must be at least 00:00:00.1.")
            .Validate(o => o.OAuth.RefreshBeforeExpiry >= TimeSpan.Zero, "Mailroom:OAuth:RefreshBeforeExpiry must not be negative.")
            .Validate(o => o.OAuth.HttpTimeout >= TimeSpan.FromSeconds(1), "Mailroom:OAuth:HttpTimeout must be at least one second.")
            .Validate(o => string.IsNullOrEmpty(o.OAuth.Microsoft365.CertificatePath) || File.Exists(o.OAuth.Microsoft365.CertificatePath),
                "Mailroom:OAuth:Microsoft365:CertificatePath names a file that does not exist.")
            .ValidateOnStart();
    }

    /// <summary>
    /// The storage backend named by <see cref="MailroomOptions.Storage"/>. An unknown provider or a
    /// missing PostgreSQL connection string registers nothing here: the options validation stops
    /// the start with the reason.
    /// </summary>
    public static IServiceCollection AddMailroomStorage(this IServiceCollection services, MailroomOptions options)
    {
        switch (options.Storage.Kind)
        {
            case StorageProvider.PostgreSql when !string.IsNullOrWhiteSpace(options.Storage.ConnectionString):
                services.AddMailroomPostgreSqlStorage(options.Storage.ConnectionString);
                break;
            case StorageProvider.Sqlite:
                services.AddMailroomSqliteStorage(options.Storage.ConnectionString
                    ?? $"Data Source={Path.Combine(options.DataDirectoryFullPath, "mailroom.db")}",
                    options.Storage.SqliteFlushesEveryCommit ?? true);
                break;
        }
        return services;
    }

    /// <summary>Secrets encrypted with keys kept in <c>&lt;data&gt;/keys</c>, outside the database.</summary>
    public static IServiceCollection AddMailroomSecrets(this IServiceCollection services, MailroomOptions options)
    {
        // The key ring is the one thing that turns the database's ciphertext back into passwords:
        // only the OS user Mailroom runs as may read it.
        var keys = Path.Combine(options.DataDirectoryFullPath, "keys");
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(keys);
        else Directory.CreateDirectory(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        services.AddDataProtection()
            .SetApplicationName("Mailroom")
            .PersistKeysToFileSystem(new DirectoryInfo(keys));
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        return services;
    }

    /// <summary>The settings, users and submission services (no HTTP): what the API, the UI and a host application call.</summary>
    public static IServiceCollection AddMailroomServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        // The one resolver for every server name Mailroom looks up: delivery, the connection check, the
        // presets' detection and the health check's relay probe (a test registers its own).
        services.TryAddSingleton<Core.Delivery.ConnectionCheck.IHostResolver>(Core.Delivery.ConnectionCheck.SystemHostResolver.Instance);
        services.TryAddSingleton<SenderSettingsService>();
        services.TryAddSingleton<DeploymentSettingsService>();
        services.TryAddSingleton<Core.Users.UserAccountService>();
        services.TryAddSingleton<QueueSignal>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<MailroomOptions>>().Value.Limits.ToMessageLimits());
        services.TryAddSingleton<DeliveryMetrics>();
        services.TryAddSingleton<Core.Events.IEventLog, Core.Events.EventLog>();
        services.TryAddSingleton<MessageSubmissionService>();
        services.TryAddSingleton<MailroomMailer>();
        return services;
    }

    /// <summary>
    /// The delivery agent (SMTP with connection reuse, or .eml capture for the System sender
    /// without a relay) and, unless <c>Delivery.WorkerEnabled</c> is false, the worker.
    /// </summary>
    public static IServiceCollection AddMailroomDelivery(this IServiceCollection services, MailroomOptions options)
    {
        var captureDirectory = Path.Combine(options.DataDirectoryFullPath, "captured-mail");
        services.AddSingleton<IMailDeliveryAgent>(sp =>
        {
            var delivery = sp.GetRequiredService<IOptions<DeliveryOptions>>().Value;
            return new SmtpDeliveryAgent(
                new SmtpDeliveryOptions
                {
                    SystemRelay = delivery.SystemRelay,
                    CaptureDirectory = captureDirectory,
                    CommandTimeout = delivery.SmtpTimeout,
                    MaxConnectionsPerServer = delivery.MaxConnectionsPerServer,
                    RateLimitMinute = delivery.RateLimitMinute,
                    BlockPrivateNetworksForUserProfiles = options.Security.BlockPrivateNetworksForUserProfiles,
                    // The VERP bounce domain, when the host registered one (the server does: Mailroom:Bounces).
                    Bounces = sp.GetService<Core.Bounces.BounceAddressOptions>() ?? new Core.Bounces.BounceAddressOptions(),
                },
                sp.GetRequiredService<ISecretProtector>(),
                sp.GetRequiredService<TimeProvider>(),
                // The backend's counter: in this process for SQLite, in the database (all nodes) for PostgreSQL.
                sp.GetService<ISendRateLimiter>(),
                // Tokens for OAuth2 senders, when the host registered the OAuth services (the server does).
                sp.GetService<Core.OAuth.IOAuthTokenSource>(),
                // Connection slots per server shared by all nodes (PostgreSQL advisory locks); one
                // SQLite node needs none beyond its own pool.
                sp.GetService<Core.Storage.IClusterLock>() is { } slots and not Core.Storage.InProcessClusterLock ? slots : null,
                sp.GetRequiredService<Core.Delivery.ConnectionCheck.IHostResolver>());
        });
        if (options.Delivery.WorkerEnabled)
        {
            services.AddHostedService<DeliveryWorker>();
            services.AddHostedService<QueueWakeupListener>();
        }
        return services;
    }

    /// <summary>Brings the schema up to date when a host application starts (the server does this in its first-start step).</summary>
    private sealed class StorageMigration(Core.Storage.IStorageMigrator migrator, ILogger<StorageMigration> log) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var version = await migrator.MigrateAsync(cancellationToken);
            log.LogInformation("Mailroom storage ready at schema version {Version}", version);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
