using System.Collections.Concurrent;

namespace Mailroom.Server.WebUi;

/// <summary>
/// Slows password guessing: after <see cref="MaxFailures"/> failed sign-ins for one address within
/// <see cref="Window"/>, that address may not try again until the window has passed. Only failures
/// count, so people who type their password right are never held up. In memory, per process.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    // Bounded: guessing many different addresses must not grow this without limit.
    private const int MaxTrackedAddresses = 10_000;

    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Since)> _failures = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>True while <paramref name="email"/> has used up its attempts.</summary>
    public bool IsLocked(string email) =>
        _failures.TryGetValue(Key(email), out var entry) && entry.Failures >= MaxFailures && clock.GetUtcNow() - entry.Since < Window;

    /// <summary>Counts a failed attempt.</summary>
    public void Failed(string email)
    {
        var now = clock.GetUtcNow();
        if (_failures.Count >= MaxTrackedAddresses) _failures.Clear();
        _failures.AddOrUpdate(Key(email), (1, now),
            (_, entry) => now - entry.Since >= Window ? (1, now) : (entry.Failures + 1, entry.Since));
    }

    /// <summary>Forgets the failures after a successful sign-in.</summary>
    public void Succeeded(string email) => _failures.TryRemove(Key(email), out _);

    private static string Key(string email) => email.Trim();
}
