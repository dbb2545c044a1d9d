using System.Collections.Concurrent;
using Mailroom.Core.Queue;

namespace Mailroom.Hosting;

/// <summary>
/// Keeps the leases of one worker's claimed messages alive, from the claim until the delivery attempt ends:
/// while a message waits for a free lane as well as while it is sent. One loop, ticking every quarter lease,
/// renews every lease that is past a quarter of its time, so a lease is renewed with at least half of it
/// left: that half is the margin for a late tick or a slow write on a loaded machine (a quarter, as
/// before, was not always enough: a lease ran out, the next claim took the message and it was sent twice).
/// The due leases of a tick are renewed together, so their writes can share one commit.
/// One loop for all (not a timer per message): delivering a message costs no timer, no linked
/// cancellation source and no cancellation exception, and most messages never need a renewal at all.
/// </summary>
internal sealed class LeaseKeeper(IMessageQueueStorage queue, TimeProvider clock, TimeSpan lease, ILogger log)
{
    private readonly ConcurrentDictionary<ClaimedMessage, DateTimeOffset> _held = new(ReferenceEqualityComparer.Instance);

    /// <summary>Starts keeping a claim whose lease, taken at <paramref name="claimedAt"/>, runs for the lease duration.</summary>
    public void Keep(ClaimedMessage claim, DateTimeOffset claimedAt) => _held[claim] = claimedAt + lease;

    /// <summary>Stops keeping a claim: its delivery attempt is over (its outcome write is fenced by the token, not by the lease's time).</summary>
    public void Release(ClaimedMessage claim) => _held.TryRemove(claim, out _);

    /// <summary>Renews due leases until <paramref name="stoppingToken"/> fires; then the leases run out on their own.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var ticks = new PeriodicTimer(lease / 4, clock);
        try
        {
            while (await ticks.WaitForNextTickAsync(stoppingToken))
                await RenewDueAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: claims not finished are taken again after their lease.
        }
    }

    private async Task RenewDueAsync(CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow();
        var due = _held.Where(held => held.Value - now <= lease * 3 / 4).ToArray();
        await Task.WhenAll(due.Select(held => RenewAsync(held.Key, held.Value, now, stoppingToken)));
    }

    private async Task RenewAsync(ClaimedMessage claim, DateTimeOffset expires, DateTimeOffset now, CancellationToken stoppingToken)
    {
        try
        {
            if (await queue.RenewLeaseAsync(claim.Message.Id, claim.LeaseToken, now + lease, stoppingToken))
            {
                // Only while still kept: a claim released meanwhile stays released.
                _held.TryUpdate(claim, now + lease, expires);
                return;
            }
            if (_held.TryRemove(claim, out _))
                log.LogWarning("Message {MessageId}: lease could not be renewed; another worker may take it over", claim.Message.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Tried again at the next tick while the lease lasts.
            log.LogWarning(ex, "Message {MessageId}: renewing the lease failed", claim.Message.Id);
        }
    }
}
