using Mailroom.Core.Delivery;
using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Settings;
using Mailroom.Core.Storage;
using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Mailroom.Hosting;

/// <summary>The <c>Mailroom:Delivery</c> section.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Set false to run a node that accepts mail but does not deliver (or in tests).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>Messages claimed at a time; the next batch is claimed while the last is still being delivered.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Messages delivered at the same time (different servers in parallel; one connection per server is serialized).</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>How long a claim holds before another worker may take the message (a crashed worker's mail comes back after this).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often an idle worker looks for due mail (new mail in this process wakes it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Connections kept open to one server at the same time (providers cap sessions per account).</summary>
    public int MaxConnectionsPerServer { get; set; } = 4;

    /// <summary>
    /// The window a profile's "per minute" cap counts over. One minute; tests shorten it to watch
    /// several windows pass. Not for production use.
    /// </summary>
    public TimeSpan RateLimitMinute { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>SMTP command timeout.</summary>
    public TimeSpan SmtpTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Waits after the 1st, 2nd, … failed attempt, comma-separated TimeSpans (the last repeats).
    /// One string rather than a list, so it reads the same in JSON, an environment variable and a flag.
    /// </summary>
    public string RetryDelays { get; set; } = string.Join(", ", new RetryOptions().Delays.Select(d => d.ToString("c", CultureInfo.InvariantCulture)));

    /// <summary>After this long in the queue a temporary failure becomes final.</summary>
    public TimeSpan MaximumAge { get; set; } = new RetryOptions().MaximumAge;

    /// <summary>The retry policy's options, or null when <see cref="RetryDelays"/> does not parse.</summary>
    public RetryOptions? ToRetryOptions() =>
        RetryOptions.ParseDelays(RetryDelays) is { } delays ? new RetryOptions { Delays = delays, MaximumAge = MaximumAge } : null;

    /// <summary>The operator's relay for the System sender mode; without one, System mail is captured as .eml files.</summary>
    public SystemRelayOptions SystemRelay { get; set; } = new();
}

/// <summary>
/// Claims due messages, resolves each sender's settings at that moment (so a settings fix helps
/// mail already queued), delivers, and records the outcome the retry policy picks — fenced by the
/// lease token. A settings problem (bad credentials, TLS) holds the sender's other waiting mail too.
/// </summary>
public sealed class DeliveryWorker(
    IMessageQueueStorage queue,
    IUserStore users,
    SenderSettingsService settings,
    IMailDeliveryAgent agent,
    QueueSignal signal,
    TimeProvider clock,
    IOptions<DeliveryOptions> options,
    ILogger<DeliveryWorker> log,
    Core.Events.IEventLog events,
    DeliveryMetrics metrics) : BackgroundService
{
    private readonly string _workerId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";
    private readonly RetryPolicy _retry = new(options.Value.ToRetryOptions()!);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var lanes = Math.Max(1, o.Concurrency);
        log.LogInformation("Delivery worker {WorkerId} started ({Concurrency} at a time)", _workerId, lanes);
        // Claimed messages wait here for a free lane. The next batch is claimed while the lanes are
        // still busy with the last one (when fewer than max(lanes, half a batch) wait), so a lane
        // that finishes does not stand idle during a claim's round trip; at most about one and a
        // half batches wait at any time.
        var ready = Channel.CreateUnbounded<(ClaimedMessage Claim, SenderCache Senders)>(new UnboundedChannelOptions { SingleWriter = true });
        var taken = new QueueSignal();
        var recordings = new OutcomeRecordings(Math.Max(lanes, o.BatchSize));
        var leases = new LeaseKeeper(queue, clock, o.LeaseDuration, log);
        // Stopped after the lanes, whatever ended the claim loop: on its own token, so a loop that failed
        // (not only a shutdown) cannot leave the worker waiting for the keeper forever.
        using var stopKeeping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var keeping = leases.RunAsync(stopKeeping.Token);
        var running = Enumerable.Range(0, lanes).Select(_ => RunLaneAsync(ready.Reader, taken, leases, recordings, stoppingToken)).ToArray();
        try
        {
            await ClaimIntoAsync(ready, taken, leases, lanes, stoppingToken);
        }
        finally
        {
            ready.Writer.TryComplete();
            await Task.WhenAll(running);
            await stopKeeping.CancelAsync();
            await keeping;
            // Every message sent gets its outcome recorded before the worker stops (messages claimed
            // but not started keep their lease until it runs out, then are claimed again).
            await recordings.WhenAllAsync();
        }
    }

    private async Task ClaimIntoAsync(Channel<(ClaimedMessage Claim, SenderCache Senders)> ready, QueueSignal taken, LeaseKeeper leases, int lanes,
        CancellationToken stoppingToken)
    {
        var o = options.Value;
        var drained = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            metrics.WorkerHeartbeat(clock.GetUtcNow());
            // Half a batch ahead, not only one message per lane: a claim is a write, so it waits
            // behind the outcome writes queued before it and their commit's flush to disk, while the
            // lanes empty a short queue in a few milliseconds. Measured (bench/README.md): delivery
            // alone 1,324–1,358 → 1,442–1,614 msgs/s; the machine idle 14–17 % → 11 % of a drain.
            if (ready.Reader.Count >= Math.Max(lanes, o.BatchSize / 2))
            {
                await taken.WaitAsync(o.PollInterval, stoppingToken); // a lane took one
                continue;
            }
            IReadOnlyList<ClaimedMessage> claimed;
            var claimedAt = clock.GetUtcNow();
            try
            {
                claimed = await queue.ClaimAsync(_workerId, o.BatchSize, o.LeaseDuration, claimedAt, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database being busy or briefly unavailable must not kill the worker.
                log.LogError(ex, "Claiming messages failed; trying again shortly");
                await Task.Delay(o.PollInterval, clock, stoppingToken);
                continue;
            }
            // Settings are read once per sender per batch: still "at delivery time", without a dozen reads per message.
            var senders = new SenderCache();
            foreach (var claim in claimed)
            {
                leases.Keep(claim, claimedAt); // kept alive while it waits for a lane, too
                ready.Writer.TryWrite((claim, senders));
            }
            // A short batch means the queue is empty for now: wait for new mail (or the next poll)
            // instead of claiming again at once for every lane that frees up.
            var wasDrained = drained;
            drained = claimed.Count < o.BatchSize;
            if (drained && (claimed.Count == 0 || wasDrained))
                await signal.WaitAsync(o.PollInterval, stoppingToken);
        }
    }

    private async Task RunLaneAsync(ChannelReader<(ClaimedMessage Claim, SenderCache Senders)> ready, QueueSignal taken, LeaseKeeper leases,
        OutcomeRecordings recordings, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (claim, senders) in ready.ReadAllAsync(stoppingToken))
            {
                taken.Notify();
                await ProcessAsync(claim, senders, leases, recordings, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what was claimed and not started is claimed again after its lease.
        }
    }

    private async Task ProcessAsync(ClaimedMessage claim, SenderCache senders, LeaseKeeper leases, OutcomeRecordings recordings,
        CancellationToken cancellationToken)
    {
        var message = claim.Message;
        DeliveryOutcome outcome;
        try
        {
            outcome = await DeliverAsync(message, senders, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and another worker (or this one after restart) takes it.
            return;
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Message {MessageId}: unexpected error; it will be claimed again when its lease expires", message.Id);
            return;
        }
        finally
        {
            leases.Release(claim);
        }
        metrics.Record(outcome.Kind, clock.GetUtcNow());
        // The outcome is written while this lane already sends the next message: the write waits for
        // the shared commit (SqliteGroupCommit), the SMTP connection need not. Still fenced by the lease.
        await recordings.StartAsync(() => RecordAsync(claim, outcome));
    }

    private async Task RecordAsync(ClaimedMessage claim, DeliveryOutcome outcome)
    {
        var message = claim.Message;
        try
        {
            var now = clock.GetUtcNow();
            var transition = _retry.Decide(message, outcome, now);
            // Not cancelled by shutdown: a message that was sent gets its outcome stored.
            if (!await queue.CompleteAsync(message.Id, claim.LeaseToken, transition, now, CancellationToken.None))
            {
                log.LogWarning("Message {MessageId}: lease lost before the outcome ({Status}) was recorded; its new owner decides", message.Id, transition.Status.Name());
                return;
            }
            if (transition.Status == MessageStatus.Held)
            {
                var held = await queue.HoldSenderAsync(message.Draft.SenderUserId, transition.Reason, now, CancellationToken.None);
                await events.AppendAsync(Core.Events.EventTypes.SenderHeld, message.Draft.SenderUserId, message.Id, transition.Reason,
                    transition.Reply?.EnhancedCode, new { alsoHeld = held }, CancellationToken.None);
                log.LogWarning("Sender {Sender} held: {Reason} ({Count} more messages held until the settings change)",
                    message.Draft.SenderUserId ?? "global", transition.Reason, held);
            }
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Message {MessageId}: recording the outcome failed; it will be claimed again when its lease expires", message.Id);
        }
    }

    /// <summary>A sender's settings as found at the start of a batch; null settings when the user no longer exists.</summary>
    private sealed record SenderLookup(EffectiveSenderSettings? Settings, DeliveryOutcome? Refused = null);

    /// <summary>The senders of one claimed batch, each read once when the first of its messages is delivered.</summary>
    private sealed class SenderCache : ConcurrentDictionary<string, Lazy<Task<SenderLookup>>>;

    /// <summary>
    /// Outcome writes in flight: at most a bound at a time (a slow database slows the lanes down
    /// instead of piling work up), and all of them awaited before the worker stops.
    /// </summary>
    private sealed class OutcomeRecordings(int max)
    {
        private readonly SemaphoreSlim _slots = new(max, max);

        public async Task StartAsync(Func<Task> record)
        {
            await _slots.WaitAsync();
            _ = RunAsync(record);
        }

        private async Task RunAsync(Func<Task> record)
        {
            try
            {
                await record(); // catches and logs its own errors
            }
            finally
            {
                _slots.Release();
            }
        }

        public async Task WhenAllAsync()
        {
            for (var i = 0; i < max; i++) await _slots.WaitAsync();
            _slots.Release(max);
        }
    }

    private async Task<DeliveryOutcome> DeliverAsync(QueuedMessage message, SenderCache senders, CancellationToken cancellationToken)
    {
        var userId = message.Draft.SenderUserId;
        var lookup = await senders.GetOrAdd(userId ?? "", _ => new Lazy<Task<SenderLookup>>(() => ResolveSenderAsync(userId, cancellationToken))).Value;
        if (lookup.Settings is not { } sender)
            return new DeliveryOutcome(DeliveryOutcomeKind.Permanent, $"The sending user '{userId}' no longer exists.");
        if (lookup.Refused is { } refused) return refused;
        return await agent.DeliverAsync(message, sender, cancellationToken);
    }

    private async Task<SenderLookup> ResolveSenderAsync(string? userId, CancellationToken cancellationToken)
    {
        if (userId is null) return new SenderLookup(await settings.GetEffectiveGlobalAsync(cancellationToken));
        var user = await users.GetAsync(userId, cancellationToken);
        if (user is null) return new SenderLookup(null);
        var (effective, deployment) = await settings.GetEffectiveWithDeploymentAsync(user, cancellationToken);
        // The port policy holds at delivery time too: a port closed after the profile was saved is not used.
        if (effective.SenderMode != SenderMode.System && NetworkGuard.IsUserLevelServer(effective)
            && deployment.PortPolicy is { } ports && !ports.Allows(effective.Port))
        {
            return new SenderLookup(effective, new DeliveryOutcome(DeliveryOutcomeKind.SenderProblem,
                $"Port {effective.Port} is not among the ports this deployment allows ({string.Join(", ", ports.AllowedPorts)}), so nothing was sent. Choose an allowed port, or ask the administrator to open it."));
        }
        return new SenderLookup(effective);
    }
}
