using System.Text.Json.Serialization;
using Mailroom.Core.Settings;
using Mailroom.Server.Apis;
using Mailroom.Server.Security;
using Mailroom.Server.WebUi;
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
            .ValidateMailroom();
        var options = builder.Configuration.GetSection(MailroomOptions.Section).Get<MailroomOptions>() ?? new MailroomOptions();
        Directory.CreateDirectory(options.DataDirectoryFullPath);
        return options;
    }

    /// <summary>The storage backend named by <c>Mailroom:Storage</c> (see <see cref="MailroomServiceCollectionExtensions.AddMailroomStorage"/>).</summary>
    public static WebApplicationBuilder AddMailroomStorage(this WebApplicationBuilder builder, MailroomOptions options)
    {
        builder.Services.AddMailroomStorage(options);
        return builder;
    }

    /// <summary>Secrets encrypted with keys kept in <c>&lt;data&gt;/keys</c>, outside the database.</summary>
    public static WebApplicationBuilder AddMailroomSecrets(this WebApplicationBuilder builder, MailroomOptions options)
    {
        builder.Services.AddMailroomSecrets(options);
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
        builder.Services.AddMailroomServices();
        builder.AddMailroomRequestLimits();
        builder.AddMailroomHardening();
        // The same resolver as delivery's (AddMailroomServices registers the system one unless a test registered its own).
        builder.Services.AddSingleton(sp => new Core.Delivery.ConnectionCheck.SmtpConnectionChecker(
            sp.GetRequiredService<Core.Delivery.ConnectionCheck.IHostResolver>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<SenderConnectionCheck>();
        builder.Services.AddMailroomPresets();
        builder.Services.AddSingleton<Core.Templates.TemplateService>();
        builder.Services.AddSingleton<Core.Templates.NotificationService>();
        builder.Services.AddSingleton<Core.Mailings.MailingService>();
        builder.Services.AddSingleton(sp => new RelayReachability(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Core.Delivery.ConnectionCheck.IHostResolver>()));
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
        builder.Services.AddMailroomDelivery(options);
        return builder;
    }

    /// <summary>
    /// Webhook management (the events log itself comes with AddMailroomServices) and, unless <c>Mailroom:Webhooks:DispatcherEnabled</c>
    /// is false, the webhook dispatcher (which runs on one node of a cluster at a time).
    /// </summary>
    public static WebApplicationBuilder AddMailroomEvents(this WebApplicationBuilder builder, MailroomOptions options)
    {
        builder.Services.AddSingleton<Core.Events.WebhookService>();
        if (options.Webhooks.DispatcherEnabled)
            builder.Services.AddHostedService<WebhookDispatcher>();
        return builder;
    }

    /// <summary>
    /// Bounces (<c>Mailroom:Bounces</c>): the VERP bounce domain, the intake that applies what the
    /// bounce mailbox says, and — when <c>Mailroom:Bounces:Imap:Host</c> is set and the worker is
    /// enabled — the IMAP poller, once across the cluster.
    /// </summary>
    public static WebApplicationBuilder AddMailroomBounces(this WebApplicationBuilder builder, MailroomOptions options)
    {
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<BounceOptions>>().Value.ToAddressOptions());
        builder.Services.AddSingleton<Core.Bounces.BounceIntake>();
        builder.Services.AddSingleton<BounceMailboxStatus>();
        if (options.Bounces.Imap.IsConfigured && options.Delivery.WorkerEnabled)
        {
            builder.Services.AddHostedService<BounceMailboxPoller>();
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
        app.MapPresetsApi();
        app.MapEventsApi();
        app.MapWebhooksApi();
        app.MapSuppressionApi();
        app.MapTemplatesApi();
        app.MapNotificationsApi();
        app.MapMailingsApi();
        app.MapOperationsApi();
        return app;
    }

    /// <summary>The options as bound (after validation).</summary>
    public static MailroomOptions GetMailroomOptions(this IServiceProvider services) =>
        services.GetRequiredService<IOptions<MailroomOptions>>().Value;
}
