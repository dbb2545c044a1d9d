using System.Globalization;
using System.Text;
using Mailroom.Core.Delivery;
using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Storage;
using Mailroom.Hosting;
using Mailroom.Server.Security;

using Microsoft.Extensions.Options;

namespace Mailroom.Server.Apis;

/// <summary>
/// For operators and orchestrators: <c>/api/health/live</c> (the process answers),
/// <c>/api/health/ready</c> (storage answers, the delivery worker is going round, the system
/// relay is reachable) and <c>/api/metrics</c> (Prometheus text format).
/// </summary>
public static class OperationsApi
{
    /// <summary>A worker that has not gone round its loop for this long is reported stuck.</summary>
    public static readonly TimeSpan WorkerStallAfter = TimeSpan.FromSeconds(60);

    /// <summary>Maps the three endpoints.</summary>
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health/live", () => TypedResults.Ok(new { status = "alive" })).WithTags("Health").AllowAnonymous()
            .WithSummary("200 while the process answers. No authentication, no storage access.");
        app.MapGet("/api/health/ready", Ready).WithTags("Health").AllowAnonymous()
            .WithSummary("200 when storage answers and the delivery worker runs; 503 otherwise. The system relay's reachability and the bounce mailbox's state are reported, not required.");
        app.MapGet("/api/metrics", Metrics).WithTags("Health").RequireAuthorization(CurrentUser.AdministratorPolicy)
            .WithSummary("Prometheus text format: queue depth by status, delivery attempts by outcome (total and last minute), worker heartbeat. Administrators.");
        return app;
    }

    private static async Task<IResult> Ready(IStorageInfo storage, DeliveryMetrics metrics, IOptions<DeliveryOptions> delivery,
        TimeProvider clock, IOptions<BounceOptions> bounces, BounceMailboxStatus bounceMailbox, RelayReachability relayReachability, CancellationToken ct)
    {
        object storageCheck;
        var ready = true;
        try
        {
            storageCheck = new { status = "ok", provider = storage.Provider, schemaVersion = await storage.GetSchemaVersionAsync(ct) };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ready = false;
            storageCheck = new { status = "failed", provider = storage.Provider, error = ex.GetType().Name };
        }

        object workerCheck;
        if (!delivery.Value.WorkerEnabled) workerCheck = new { status = "disabled" };
        else if (metrics.LastHeartbeat is { } beat && clock.GetUtcNow() - beat <= WorkerStallAfter + delivery.Value.PollInterval)
            workerCheck = new { status = "ok", lastLoop = beat };
        else
        {
            ready = false;
            workerCheck = new { status = metrics.LastHeartbeat is null ? "notStarted" : "stalled", lastLoop = metrics.LastHeartbeat };
        }

        var relay = delivery.Value.SystemRelay;
        // Storage and worker are checked live; the relay's answer is reused briefly (RelayReachability.CacheFor).
        object relayCheck = relay.IsConfigured ? await relayReachability.CheckAsync(relay.Host!, relay.Port, ct) : new { status = "notConfigured" };

        // Bounces wait in the mailbox while it is away and are read when it returns: reported, never a reason to stop sending.
        object bounceCheck = bounces.Value.Imap.IsConfigured ? bounceMailbox.Current : new { status = "notConfigured" };

        var body = new { status = ready ? "ready" : "notReady", checks = new { storage = storageCheck, worker = workerCheck, relay = relayCheck, bounceMailbox = bounceCheck } };
        return ready ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> Metrics(IMessageQueueStorage queue, DeliveryMetrics metrics, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Text(Render(await queue.CountByStatusAsync(ct), metrics, clock.GetUtcNow()), "text/plain; version=0.0.4; charset=utf-8");

    /// <summary>The metrics in Prometheus text exposition format.</summary>
    public static string Render(IReadOnlyDictionary<MessageStatus, int> counts, DeliveryMetrics metrics, DateTimeOffset now)
    {
        var text = new StringBuilder();
        Family(text, "mailroom_queue_messages", "gauge", "Messages in the queue by status.");
        foreach (var status in Enum.GetValues<MessageStatus>())
            Sample(text, "mailroom_queue_messages", ("status", status.Name()), counts.GetValueOrDefault(status));
        Family(text, "mailroom_delivery_attempts_total", "counter", "Delivery attempts by outcome since this process started.");
        foreach (var (kind, n) in metrics.Totals)
            Sample(text, "mailroom_delivery_attempts_total", ("outcome", OutcomeName(kind)), n);
        Family(text, "mailroom_delivery_attempts_last_minute", "gauge", "Delivery attempts by outcome in the last 60 seconds.");
        foreach (var (kind, n) in metrics.LastMinute(now))
            Sample(text, "mailroom_delivery_attempts_last_minute", ("outcome", OutcomeName(kind)), n);
        Family(text, "mailroom_worker_last_loop_seconds", "gauge", "Seconds since the delivery worker last went round its loop (-1: no worker in this process).");
        // The worker may beat between reading the clock and here: never report a negative age.
        Sample(text, "mailroom_worker_last_loop_seconds", null, metrics.LastHeartbeat is { } beat ? Math.Max(0, (now - beat).TotalSeconds) : -1);
        return text.ToString();
    }

    private static string OutcomeName(DeliveryOutcomeKind kind) => kind switch
    {
        DeliveryOutcomeKind.Delivered => "delivered",
        DeliveryOutcomeKind.Captured => "captured",
        DeliveryOutcomeKind.Transient => "transient",
        DeliveryOutcomeKind.Permanent => "permanent",
        DeliveryOutcomeKind.SenderProblem => "senderProblem",
        _ => kind.ToString(),
    };

    private static void Family(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, (string Name, string Value)? label, double value)
    {
        text.Append(name);
        if (label is { } l) text.Append('{').Append(l.Name).Append("=\"").Append(l.Value).Append("\"}");
        text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}
