namespace Mailroom.Testing;

/// <summary>
/// The one bounded polling loop of the tests: read until a condition holds or the time is up,
/// then fail with what was last seen (a <see cref="TimeoutException"/>, never a silent pass).
/// </summary>
public static class Polling
{
    /// <summary>The pause between reads when none is given.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Reads with <paramref name="read"/> until <paramref name="done"/> holds for the value, and returns that value.
    /// </summary>
    /// <param name="read">What to look at (an HTTP call, a count, …).</param>
    /// <param name="done">When to stop.</param>
    /// <param name="timeout">How long to keep trying.</param>
    /// <param name="describe">Says what was last seen, for the timeout's message; <c>ToString()</c> when null.</param>
    /// <param name="interval">The pause between reads; <see cref="DefaultInterval"/> when null.</param>
    /// <exception cref="TimeoutException">The condition still did not hold after <paramref name="timeout"/>.</exception>
    public static async Task<T> WaitUntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout,
        Func<T, string>? describe = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Still {(describe is null ? value?.ToString() : describe(value))} after {timeout.TotalSeconds:0.#} s.");
            await Task.Delay(interval ?? DefaultInterval);
        }
    }

    /// <summary>As <see cref="WaitUntilAsync{T}(Func{Task{T}}, Func{T, bool}, TimeSpan, Func{T, string}?, TimeSpan?)"/> for a value read without waiting.</summary>
    /// <exception cref="TimeoutException">The condition still did not hold after <paramref name="timeout"/>.</exception>
    public static Task<T> WaitUntilAsync<T>(Func<T> read, Func<T, bool> done, TimeSpan timeout,
        Func<T, string>? describe = null, TimeSpan? interval = null) =>
        WaitUntilAsync(() => Task.FromResult(read()), done, timeout, describe, interval);

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <exception cref="TimeoutException">It still did not hold after <paramref name="timeout"/>.</exception>
    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, TimeSpan? interval = null) =>
        WaitUntilAsync(condition, held => held, timeout, _ => "false", interval);
}
