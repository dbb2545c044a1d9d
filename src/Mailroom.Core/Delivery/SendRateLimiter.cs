namespace Mailroom.Core.Delivery;

/// <summary>One sending cap: at most <paramref name="Cap"/> sends in any <paramref name="Window"/>.</summary>
/// <param name="Cap">Sends allowed per window; at least 1.</param>
/// <param name="Window">The sliding window the cap counts over.</param>
public readonly record struct SendRateLimit(int Cap, TimeSpan Window)
{
    /// <summary>
    /// How long to wait before a send is allowed, given the earlier sends' times (any order), or
    /// zero when every limit allows one now. Shared by every <see cref="ISendRateLimiter"/>, so
    /// each backend counts the same way.
    /// </summary>
    public static TimeSpan WaitFor(IReadOnlyCollection<DateTimeOffset> sendTimes, IEnumerable<SendRateLimit> limits, DateTimeOffset now)
    {
        var wait = TimeSpan.Zero;
        foreach (var limit in limits)
        {
            var inWindow = sendTimes.Where(at => now - at < limit.Window).Order().ToList();
            if (inWindow.Count < limit.Cap) continue;
            // The window holds `cap` sends already: wait until the oldest of the last `cap` leaves it.
            var leaves = inWindow[inWindow.Count - limit.Cap] + limit.Window;
            var untilFree = leaves > now ? leaves - now : TimeSpan.FromTicks(1);
            if (untilFree > wait) wait = untilFree;
        }
        return wait;
    }
}

/// <summary>
/// Per-sender sending caps (per minute, per day), counted per key over sliding windows. A send
/// takes a slot when it starts, whether the server then accepts the message or not, because
/// providers count attempts against their caps too. The SQLite backend counts in this process;
/// the PostgreSQL backend counts in the database, so the caps hold across every node.
/// </summary>
public interface ISendRateLimiter
{
    /// <summary>
    /// Takes a slot for <paramref name="key"/> now when every limit allows, and returns zero;
    /// otherwise takes nothing and returns how long to wait before asking again.
    /// </summary>
    Task<TimeSpan> TryTakeAsync(string key, IReadOnlyList<SendRateLimit> limits, CancellationToken cancellationToken = default);
}

/// <summary>Counts sends in this process's memory: right for one node (SQLite), and the default of <see cref="SmtpDeliveryAgent"/>.</summary>
public sealed class InProcessSendRateLimiter(TimeProvider time) : ISendRateLimiter
{
    private readonly Dictionary<string, List<DateTimeOffset>> _sendTimes = [];
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public Task<TimeSpan> TryTakeAsync(string key, IReadOnlyList<SendRateLimit> limits, CancellationToken cancellationToken = default)
    {
        if (limits.Count == 0) return Task.FromResult(TimeSpan.Zero);
        var now = time.GetUtcNow();
        var longest = limits.Max(l => l.Window);
        lock (_lock)
        {
            if (!_sendTimes.TryGetValue(key, out var times))
                _sendTimes[key] = times = [];
            // Keep only what the longest window in force still counts.
            times.RemoveAll(at => now - at >= longest);
            var wait = SendRateLimit.WaitFor(times, limits, now);
            if (wait == TimeSpan.Zero) times.Add(now);
            return Task.FromResult(wait);
        }
    }
}
