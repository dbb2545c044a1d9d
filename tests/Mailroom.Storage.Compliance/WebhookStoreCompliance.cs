using Mailroom.Core.Events;

namespace Mailroom.Storage.Compliance;

/// <summary>What every backend's <see cref="IWebhookStore"/> must do: endpoints, the durable work list, the delivery log.</summary>
public abstract class WebhookStoreCompliance : IAsyncLifetime
{
    private IStorageBackend? _backend;

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    private IWebhookStore Webhooks => _backend!.Webhooks;

    private IEventStore Events => _backend!.Events;

    public async Task InitializeAsync() => _backend = await CreateBackendAsync();

    public async Task DisposeAsync()
    {
        if (_backend is not null) await _backend.DisposeAsync();
    }

    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static WebhookEndpoint Endpoint(string id, DateTimeOffset created, params string[] types) => new()
    {
        Id = id, Url = $"https://app.example.com/hooks/{id}", EventTypes = types, ProtectedSecret = "cipher-" + id, CreatedAt = created, UpdatedAt = created,
    };

    /// <summary>Schedules until <paramref name="events"/> events were read (PostgreSQL shows an event once older transactions ended).</summary>
    private async Task ScheduleAllAsync(int events, DateTimeOffset now)
    {
        var read = 0;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (read < events && DateTime.UtcNow < deadline)
        {
            var n = await Webhooks.ScheduleAsync(100, now);
            read += n;
            if (n == 0) await Task.Delay(50);
        }
        Assert.Equal(events, read);
    }

    [Fact]
    public async Task Endpoints_AddGetUpdateListDelete()
    {
        var hook = Endpoint("h1", T0, "message.sent", "message.*");
        await Webhooks.AddEndpointAsync(hook);
        await Webhooks.AddEndpointAsync(Endpoint("h2", T0.AddSeconds(1), "*"));

        var read = await Webhooks.GetEndpointAsync("h1");
        Assert.Equal((hook.Url, "cipher-h1", true, T0), (read!.Url, read.ProtectedSecret, read.Enabled, read.CreatedAt));
        Assert.Equal(hook.EventTypes, read.EventTypes);

        Assert.True(await Webhooks.UpdateEndpointAsync(read with { Url = "http://127.0.0.1:9/x", EventTypes = ["oauth.expired"], Enabled = false, UpdatedAt = T0.AddHours(1) }));
        var updated = await Webhooks.GetEndpointAsync("h1");
        Assert.Equal(("http://127.0.0.1:9/x", false, T0.AddHours(1)), (updated!.Url, updated.Enabled, updated.UpdatedAt));
        Assert.Equal(["oauth.expired"], updated.EventTypes);
        Assert.False(await Webhooks.UpdateEndpointAsync(Endpoint("nope", T0)));

        Assert.Equal(["h1", "h2"], (await Webhooks.ListEndpointsAsync()).Select(e => e.Id));
        Assert.True(await Webhooks.DeleteEndpointAsync("h1"));
        Assert.False(await Webhooks.DeleteEndpointAsync("h1"));
        Assert.Null(await Webhooks.GetEndpointAsync("h1"));
    }

    [Fact]
    public async Task Schedule_MatchesTypes_SkipsOlderEventsAndDisabledEndpoints_AndMovesTheCursor()
    {
        await Events.AppendAsync(new NewEvent("message.sent", T0.AddSeconds(-1)));   // before every endpoint
        await Webhooks.AddEndpointAsync(Endpoint("sent", T0, "message.sent"));
        await Webhooks.AddEndpointAsync(Endpoint("all", T0, "*"));
        await Webhooks.AddEndpointAsync(Endpoint("prefix", T0, "message.*"));
        await Webhooks.AddEndpointAsync(Endpoint("off", T0, "*") with { Enabled = false });
        var sent = await Events.AppendAsync(new NewEvent("message.sent", T0.AddSeconds(1)));
        var oauth = await Events.AppendAsync(new NewEvent("oauth.expired", T0.AddSeconds(2)));

        await ScheduleAllAsync(3, T0.AddSeconds(3));
        Assert.Equal(0, await Webhooks.ScheduleAsync(100, T0.AddSeconds(3)));  // the cursor moved: nothing twice

        var due = await Webhooks.DueDeliveriesAsync(T0.AddSeconds(3), 100);
        Assert.Equal(
            [("all", sent), ("all", oauth), ("prefix", sent), ("sent", sent)],
            due.Select(d => (d.Endpoint.Id, d.Event.Id)).OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2));
        Assert.All(due, d => Assert.Equal(0, d.Attempts));
    }

    [Fact]
    public async Task Attempts_RetryThenDeliver_AreLogged_NewestFirst()
    {
        await Webhooks.AddEndpointAsync(Endpoint("h", T0, "*"));
        var eventId = await Events.AppendAsync(new NewEvent("message.failed", T0.AddSeconds(1)));
        await ScheduleAllAsync(1, T0.AddSeconds(1));
        var work = Assert.Single(await Webhooks.DueDeliveriesAsync(T0.AddSeconds(1), 10));

        await Webhooks.RecordAttemptAsync(work.DeliveryId, T0.AddSeconds(2), 500, "HTTP 500", WebhookAttemptOutcome.Retrying, T0.AddMinutes(1));
        Assert.Empty(await Webhooks.DueDeliveriesAsync(T0.AddSeconds(59), 10));
        var retry = Assert.Single(await Webhooks.DueDeliveriesAsync(T0.AddMinutes(1), 10));
        Assert.Equal(1, retry.Attempts);
        await Webhooks.RecordAttemptAsync(work.DeliveryId, T0.AddMinutes(1), 204, null, WebhookAttemptOutcome.Delivered, null);

        Assert.Empty(await Webhooks.DueDeliveriesAsync(T0.AddDays(1), 10));
        var log = await Webhooks.ListAttemptsAsync("h", 10);
        Assert.Equal([(2, 204, WebhookAttemptOutcome.Delivered), (1, 500, WebhookAttemptOutcome.Retrying)],
            log.Select(a => (a.Attempt, a.StatusCode!.Value, a.Outcome)));
        Assert.Equal(("message.failed", eventId, "HTTP 500"), (log[1].EventType, log[1].EventId, log[1].Error));
    }

    [Fact]
    public async Task FailedDelivery_IsNoLongerDue_AndDeletingTheEndpointDropsItsWorkAndLog()
    {
        await Webhooks.AddEndpointAsync(Endpoint("h", T0, "*"));
        await Events.AppendAsync(new NewEvent("message.sent", T0.AddSeconds(1)));
        await Events.AppendAsync(new NewEvent("message.sent", T0.AddSeconds(2)));
        await ScheduleAllAsync(2, T0.AddSeconds(2));
        var due = await Webhooks.DueDeliveriesAsync(T0.AddSeconds(2), 10);
        await Webhooks.RecordAttemptAsync(due[0].DeliveryId, T0.AddSeconds(3), null, "Connection refused", WebhookAttemptOutcome.Failed, null);

        Assert.Equal([due[1].DeliveryId], (await Webhooks.DueDeliveriesAsync(T0.AddDays(1), 10)).Select(d => d.DeliveryId));
        Assert.Null(Assert.Single(await Webhooks.ListAttemptsAsync("h", 10)).StatusCode);

        Assert.True(await Webhooks.DeleteEndpointAsync("h"));
        Assert.Empty(await Webhooks.DueDeliveriesAsync(T0.AddDays(1), 10));
        Assert.Empty(await Webhooks.ListAttemptsAsync("h", 10));
    }
}
