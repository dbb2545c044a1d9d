namespace Mailroom.Core.Delivery;

/// <summary>
/// Per-minute and per-day sending caps, counted per key (an SMTP endpoint) over sliding windows.
/// A send takes a slot when it starts, whether the server then accepts the message or not,
/// because providers count attempts against their caps too.
/// </summary>
internal sealed class SendRateLimiter(TimeProvider time)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly Dictionary<object, Queue<DateTimeOffset>> _sendTimes = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Takes a slot for <paramref name="key"/> now when the caps allow, otherwise returns how long
    /// to wait before asking again (and takes nothing).
    /// </summary>
    public TimeSpan TryTake(object key, int? perMinute, int? perDay)
    {
        if (perMinute is not > 0 && perDay is not > 0) return TimeSpan.Zero;
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_sendTimes.TryGetValue(key, out var times))
                _sendTimes[key] = times = new Queue<DateTimeOffset>();
            // Keep only what the longest window in force still counts.
            var kept = perDay is > 0 ? Day : Minute;
            while (times.Count > 0 && now - times.Peek() >= kept)
                times.Dequeue();

            var wait = TimeSpan.Zero;
            if (perMinute is int minuteCap && minuteCap > 0)
                wait = Max(wait, WaitFor(times, minuteCap, Minute, now));
            if (perDay is int dayCap && dayCap > 0)
                wait = Max(wait, WaitFor(times, dayCap, Day, now));
            if (wait == TimeSpan.Zero)
                times.Enqueue(now);
            return wait;
        }
    }

    // The window holds `cap` sends already: wait until the oldest of the last `cap` leaves it.
    private static TimeSpan WaitFor(Queue<DateTimeOffset> times, int cap, TimeSpan window, DateTimeOffset now)
    {
        var inWindow = times.Where(at => now - at < window).ToList();
        if (inWindow.Count < cap) return TimeSpan.Zero;
        var leaves = inWindow[inWindow.Count - cap] + window;
        return leaves > now ? leaves - now : TimeSpan.FromTicks(1);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
