using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Mailroom.Core.Events;
using Mailroom.Core.Queue;
using Mailroom.Core.Storage;
using Microsoft.Extensions.Options;

namespace Mailroom.Hosting;

/// <summary>The <c>Mailroom:Webhooks</c> section.</summary>
public sealed class WebhookOptions
{
    /// <summary>Whether this node runs the dispatcher (one node of the cluster runs it at a time anyway).</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>How often the dispatcher looks for new events and due retries when idle.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts per event and endpoint before the delivery is given up (and a <c>webhook.failed</c> event written).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Waits after the 1st, 2nd, … failed attempt (the last repeats), comma-separated TimeSpans; jittered by ±20 %.</summary>
    public string RetryDelays { get; set; } = "00:00:10, 00:01:00, 00:05:00, 00:30:00, 02:00:00, 06:00:00";

    /// <summary>How long a receiver has to answer one POST.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries made at once.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>The retry delays parsed, or null when <see cref="RetryDelays"/> does not parse.</summary>
    public RetryOptions? ToRetryOptions() => RetryOptions.ParseDelays(RetryDelays) is { } delays ? new RetryOptions { Delays = delays } : null;
}

/// <summary>
/// Delivers events to webhook endpoints. Runs on one node of the cluster at a time (the
/// <see cref="IClusterLock"/> named <see cref="LockName"/>): reads the events log by its stored
/// cursor into a durable work list, POSTs each due delivery signed with the endpoint's secret,
/// and logs every attempt. A delivery is marked delivered only after a 2xx answer, so a crash in
/// between sends it again (at least once); nothing delivered is lost or repeated otherwise.
/// </summary>
public sealed class WebhookDispatcher(
    IWebhookStore store,
    IEventLog events,
    IClusterLock clusterLock,
    WebhookService webhooks,
    TimeProvider clock,
    IOptions<WebhookOptions> options,
    ILogger<WebhookDispatcher> log) : BackgroundService
{
    /// <summary>The cluster lock's name.</summary>
    public const string LockName = "mailroom.webhook-dispatcher";

    private static readonly TimeSpan HoldLockFor = TimeSpan.FromMinutes(1);

    private readonly RetryPolicy _retry = new(options.Value.ToRetryOptions()!);

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var holding = await clusterLock.TryAcquireAsync(LockName, stoppingToken);
                if (holding is null)
                {
                    await Task.Delay(o.PollInterval, clock, stoppingToken);
                    continue;
                }
                // Held for a while, then let go, so another node can take over if this one is slow or stuck.
                var until = clock.GetUtcNow() + HoldLockFor;
                while (!stoppingToken.IsCancellationRequested && clock.GetUtcNow() < until)
                {
                    if (!await RoundAsync(stoppingToken)) await Task.Delay(o.PollInterval, clock, stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Webhook dispatch failed; trying again shortly");
                await Task.Delay(o.PollInterval, clock, stoppingToken);
            }
        }
    }

    /// <summary>One round: new events into the work list, then the due deliveries. False when there was nothing to do.</summary>
    private async Task<bool> RoundAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var scheduled = await store.ScheduleAsync(200, clock.GetUtcNow(), cancellationToken);
        var due = await store.DueDeliveriesAsync(clock.GetUtcNow(), 100, cancellationToken);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = o.Concurrency, CancellationToken = cancellationToken },
            async (work, _) => await DeliverAsync(work));
        return scheduled > 0 || due.Count > 0;
    }

    // A delivery begun is finished even when the node is stopping (bounded by RequestTimeout): its
    // outcome is recorded, so a graceful restart sends nothing twice. Only a crash in between does.
    private async Task DeliverAsync(WebhookDeliveryWork work)
    {
        var cancellationToken = CancellationToken.None;
        var o = options.Value;
        var body = EventPayload.From(work.Event).ToJson();
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        int? status = null;
        string? error;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, work.Endpoint.Url) { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(webhooks.Secret(work.Endpoint), timestamp, body));
            request.Headers.Add(WebhookSignature.EventTypeHeader, work.Event.Type);
            request.Headers.Add(WebhookSignature.DeliveryHeader, work.DeliveryId.ToString(CultureInfo.InvariantCulture));
            request.Headers.UserAgent.ParseAdd("Mailroom-Webhooks/1");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(o.RequestTimeout);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            error = response.IsSuccessStatusCode ? null : $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
        }
        catch (OperationCanceledException)
        {
            error = $"No answer within {o.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.";
        }
        catch (HttpRequestException ex)
        {
            error = ex.Message;
        }
        var now = clock.GetUtcNow();
        var attempt = work.Attempts + 1;
        if (error is null)
        {
            await store.RecordAttemptAsync(work.DeliveryId, now, status, null, WebhookAttemptOutcome.Delivered, null, cancellationToken);
            return;
        }
        if (attempt < o.MaxAttempts)
        {
            await store.RecordAttemptAsync(work.DeliveryId, now, status, error, WebhookAttemptOutcome.Retrying, now + _retry.NextDelay(attempt), cancellationToken);
            return;
        }
        await store.RecordAttemptAsync(work.DeliveryId, now, status, error, WebhookAttemptOutcome.Failed, null, cancellationToken);
        log.LogWarning("Webhook {EndpointId} gave up on event {EventId} after {Attempts} attempts: {Error}", work.Endpoint.Id, work.Event.Id, attempt, error);
        // Code = the endpoint, so this event is never offered to the endpoint whose failure it reports.
        await events.AppendAsync(EventTypes.WebhookFailed, work.Event.UserId, work.Event.MessageId,
            $"Webhook {work.Endpoint.Url} gave up on event {work.Event.Id} ({work.Event.Type}) after {attempt} attempts: {error}",
            work.Endpoint.Id, new { endpointId = work.Endpoint.Id, url = work.Endpoint.Url, eventId = work.Event.Id, eventType = work.Event.Type, attempts = attempt, lastError = error, lastStatusCode = status },
            cancellationToken);
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
