using System.Collections.Concurrent;
using Mailroom.Core.Delivery;

namespace Mailroom.Hosting;

/// <summary>
/// What this node's delivery worker did, for <c>/api/metrics</c> and readiness: attempts by
/// outcome since start, outcomes in the last minute, and when the worker last went round its loop.
/// In memory, per process (Prometheus adds nodes up).
/// </summary>
public sealed class DeliveryMetrics
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<DeliveryOutcomeKind, long> _totals = new();
    private readonly ConcurrentQueue<(DateTimeOffset At, DeliveryOutcomeKind Kind)> _recent = new();
    private long _lastHeartbeatTicks;

    /// <summary>Counts one delivery attempt's outcome.</summary>
    public void Record(DeliveryOutcomeKind kind, DateTimeOffset at)
    {
        _totals.AddOrUpdate(kind, 1, (_, n) => n + 1);
        _recent.Enqueue((at, kind));
        Trim(at);
    }

    /// <summary>The worker is alive and went round its loop at <paramref name="at"/>.</summary>
    public void WorkerHeartbeat(DateTimeOffset at) => Interlocked.Exchange(ref _lastHeartbeatTicks, at.UtcTicks);

    /// <summary>When the worker last went round its loop; null when no worker runs in this process.</summary>
    public DateTimeOffset? LastHeartbeat =>
        Interlocked.Read(ref _lastHeartbeatTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Attempts by outcome since the process started.</summary>
    public IReadOnlyDictionary<DeliveryOutcomeKind, long> Totals => Enum.GetValues<DeliveryOutcomeKind>().ToDictionary(k => k, k => _totals.GetValueOrDefault(k));

    /// <summary>Attempts by outcome within the minute before <paramref name="now"/>.</summary>
    public IReadOnlyDictionary<DeliveryOutcomeKind, int> LastMinute(DateTimeOffset now)
    {
        Trim(now);
        var counts = Enum.GetValues<DeliveryOutcomeKind>().ToDictionary(k => k, _ => 0);
        foreach (var (at, kind) in _recent)
            if (now - at <= Minute) counts[kind]++;
        return counts;
    }

    // Bounded: only the last minute is kept.
    private void Trim(DateTimeOffset now)
    {
        while (_recent.TryPeek(out var oldest) && now - oldest.At > Minute) _recent.TryDequeue(out _);
    }
}
