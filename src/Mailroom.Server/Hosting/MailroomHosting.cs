using System.Text.Json.Serialization;
using Mailroom.Core.Delivery;
using Mailroom.Core.Security;
using Mailroom.Core.Settings;
using Mailroom.Server.Apis;
using Mailroom.Server.Security;
using Mailroom.Server.WebUi;
using Mailroom.Server.Workers;
using Mailroom.Storage.PostgreSql;
using Mailroom.Storage.Sqlite;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Mailroom.Server.Hosting;

/// <summary>The named steps Program.cs is made of.</summary>
public static class MailroomHosting
{
    /// <summary>The address Mailroom listens on when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Listens on <see cref="DefaultUrl"/> unless an address was configured the usual ASP.NET Core way.</summary>
    public static WebApplicationBuilder UseDefaultAddress(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]) &&
            string.IsNullOrEmpty(builder.Configuration["Kestrel:Endpoints:Http:Url"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        return builder;
    }

    /// <summary>Binds and validates the <c>Mailroom</c> section at start, so a bad value stops the server before it serves.</summary>
    public static MailroomOptions AddMailroomOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MailroomOptions>()
            .Bind(builder.Configuration.GetSection(MailroomOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Storage.Kind is not null,
                "Mailroom:Storage:Provider must be 'sqlite' (the embedded default) or 'postgresql'.")
            .Validate(o => o.Storage.Kind != StorageProvider.PostgreSql || !string.IsNullOrWhiteSpace(o.Storage.ConnectionString),
                "Mailroom:Storage:Provider is 'postgresql' but Mailroom:Storage:ConnectionString is missing; set it to an Npgsql connection string, e.g. \"Host=db.example;Database=mailroom;Username=mailroom;Password=…\" (Mailroom__Storage__ConnectionString).")
            .Validate(o => o.Limits.MaxRequestBodyBytes >= 1024, "Mailroom:Limits:MaxRequestBodyBytes must be at least 1024.")
            .Validate(o => o.Limits.MaxRecipients >= 1 && o.Limits.MaxAttachmentBytes >= 0 && o.Limits.MaxBodyLength >= 1,
                "Mailroom:Limits:MaxRecipients and MaxBodyLength must be positive, MaxAttachmentBytes not negative.")
            .Validate(o => o.Security.SessionTimeout >= TimeSpan.FromSeconds(1), "Mailroom:Security:SessionTimeout must be at least one second.")
            .Validate(o => o.Bootstrap.AdminApiKey is null || (o.Bootstrap.AdminApiKey.Length >= 24 && !o.Bootstrap.AdminApiKey.Any(char.IsWhiteSpace)),
                "Mailroom:Bootstrap:AdminApiKey must be at least 24 characters without spaces.")
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(MailroomOptions.Section).Get<MailroomOptions>() ?? new MailroomOptions();
        Directory.CreateDirectory(options.DataDirectoryFullPath);
        return options;
    }

    /// <summary>
    /// The storage backend named by <c>Mailroom:Storage</c>. An unknown provider or a missing
    /// PostgreSQL connection string registers nothing here: the options validation stops the
    /// start with the reason.
    /// </summary>
    public static WebApplicationBuilder AddMailroomStorage(this WebApplicationBuilder builder, MailroomOptions options)
    {
        switch (options.Storage.Kind)
        {
            case StorageProvider.PostgreSql when !string.IsNullOrWhiteSpace(options.Storage.ConnectionString):
                builder.Services.AddMailroomPostgreSqlStorage(options.Storage.ConnectionString);
                break;
            case StorageProvider.Sqlite:
                builder.Services.AddMailroomSqliteStorage(options.Storage.ConnectionString
                    ?? $"Data Source={Path.Combine(options.DataDirectoryFullPath, "mailroom.db")}");
                break;
        }
        return builder;
    }

    /// <summary>Secrets encrypted with keys kept in <c>&lt;data&gt;/keys</c>, outside the database.</summary>
    public static WebApplicationBuilder AddMailroomSecrets(this WebApplicationBuilder builder, MailroomOptions options)
    {
        // The key ring is the one thing that turns the database's ciphertext back into passwords:
        // only the OS user Mailroom runs as may read it.
        var keys = Path.Combine(options.DataDirectoryFullPath, "keys");
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(keys);
        else Directory.CreateDirectory(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        builder.Services.AddDataProtection()
            .SetApplicationName("Mailroom")
            .PersistKeysToFileSystem(new DirectoryInfo(keys));
        builder.Services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        return builder;
    }

    /// <summary>API keys as bearer tokens for the API, a session cookie for the web UI; administrators and users.</summary>
    public static WebApplicationBuilder AddMailroomAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddMailroomSchemes();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(CurrentUser.AdministratorPolicy, p => p.RequireAuthenticatedUser().RequireRole(nameof(Core.Users.Role.Administrator)))
            .AddPolicy(WebUiAuthentication.PolicyName, p => p.RequireAuthenticatedUser());
        return builder;
    }

    /// <summary>The application services and the HTTP API's conventions (JSON, ProblemDetails, OpenAPI).</summary>
    public static WebApplicationBuilder AddMailroomApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SenderSettingsService>();
        builder.Services.AddSingleton<DeploymentSettingsService>();
        builder.Services.AddSingleton<Core.Users.UserAccountService>();
        builder.Services.AddSingleton<Core.Queue.QueueSignal>();
        builder.Services.AddSingleton(sp => sp.GetMailroomOptions().Limits.ToMessageLimits());
        builder.Services.AddSingleton<DeliveryMetrics>();
        builder.AddMailroomRequestLimits();
        builder.AddMailroomHardening();
        builder.Services.AddSingleton<Core.Queue.MessageSubmissionService>();
        builder.Services.AddSingleton(new Core.Delivery.ConnectionCheck.SmtpConnectionChecker());
        builder.Services.AddSingleton<SenderConnectionCheck>();
        builder.Services.Configure<JsonOptions>(o =>
        {
            // A misspelt field is an error, not silently ignored.
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<RequestBodyErrors>();
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>
    /// The delivery agent (SMTP with connection reuse, or .eml capture for the System sender
    /// without a relay) and, unless <c>Mailroom:Delivery:WorkerEnabled</c> is false, the worker.
    /// </summary>
    public static WebApplicationBuilder AddMailroomDelivery(this WebApplicationBuilder builder, MailroomOptions options)
    {
        builder.Services.AddOptions<DeliveryOptions>()
            .Bind(builder.Configuration.GetSection("Mailroom:Delivery"))
            .Validate(o => o.BatchSize is >= 1 and <= 1000, "Mailroom:Delivery:BatchSize must be 1–1000.")
            .Validate(o => o.Concurrency is >= 1 and <= 256, "Mailroom:Delivery:Concurrency must be 1–256.")
            .Validate(o => o.MaxConnectionsPerServer is >= 1 and <= 100, "Mailroom:Delivery:MaxConnectionsPerServer must be 1–100.")
            .Validate(o => o.LeaseDuration >= TimeSpan.FromSeconds(1), "Mailroom:Delivery:LeaseDuration must be at least one second.")
            .Validate(o => o.ToRetryOptions() is not null, "Mailroom:Delivery:RetryDelays must be a comma-separated list of positive TimeSpans, e.g. \"00:01:00, 00:05:00, 01:00:00\".")
            .Validate(o => o.MaximumAge > TimeSpan.Zero, "Mailroom:Delivery:MaximumAge must be positive.")
            .Validate(o => o.RateLimitMinute >= TimeSpan.FromSeconds(1), "Mailroom:Delivery:RateLimitMinute must be at least one second.")
            .ValidateOnStart();
        var captureDirectory = Path.Combine(options.DataDirectoryFullPath, "captured-mail");
        builder.Services.AddSingleton<IMailDeliveryAgent>(sp =>
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
                    BlockPrivateNetworksForUserProfiles = sp.GetMailroomOptions().Security.BlockPrivateNetworksForUserProfiles,
                },
                sp.GetRequiredService<ISecretProtector>(),
                sp.GetRequiredService<TimeProvider>(),
                // The backend's counter: in this process for SQLite, in the database (all nodes) for PostgreSQL.
                sp.GetService<ISendRateLimiter>());
        });
        if (builder.Configuration.GetValue("Mailroom:Delivery:WorkerEnabled", true))
        {
            builder.Services.AddHostedService<DeliveryWorker>();
            builder.Services.AddHostedService<QueueWakeupListener>();
        }
        return builder;
    }

    /// <summary>Every API endpoint.</summary>
    public static WebApplication MapMailroomApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseMailroomRequestLimits();
        app.UseApiResponseHeaders();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        app.MapHealthApi();
        app.MapSettingsApi();
        app.MapDeploymentSettingsApi();
        app.MapUsersApi();
        app.MapMessagesApi();
        app.MapConnectionCheckApi();
        app.MapOperationsApi();
        return app;
    }

    /// <summary>The options as bound (after validation).</summary>
    public static MailroomOptions GetMailroomOptions(this IServiceProvider services) =>
        services.GetRequiredService<IOptions<MailroomOptions>>().Value;
}
