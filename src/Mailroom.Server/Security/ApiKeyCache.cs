using System.Collections.Concurrent;
using Mailroom.Core.Storage;
using Mailroom.Core.Users;

namespace Mailroom.Server.Security;

/// <summary>
/// Remembers recently presented API keys for a few seconds, so a host application sending
/// thousands of messages is not looked up in the database on every request. A revocation on
/// this node clears the cache at once; other nodes forget a revoked key within <see cref="Lifetime"/>.
/// </summary>
public sealed class ApiKeyCache(IUserStore users, TimeProvider clock)
{
    /// <summary>
    /// How long a found key is trusted. Misses are not cached: a key just created on another node
    /// works at once, and a flood of wrong keys cannot push the real ones out of the cache.
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private const int MaxEntries = 10_000; // a flood of random keys must not grow memory without bound

    private readonly ConcurrentDictionary<string, (User User, ApiKey Key, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);

    /// <summary>The user and key behind <paramref name="keyHash"/>, or null when unknown or revoked.</summary>
    public async Task<(User User, ApiKey Key)?> FindAsync(string keyHash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(keyHash, out var cached) && cached.Expires > now) return (cached.User, cached.Key);
        var found = await users.FindByApiKeyHashAsync(keyHash, cancellationToken);
        if (found is { } match)
        {
            if (_entries.Count >= MaxEntries) _entries.Clear();
            _entries[keyHash] = (match.User, match.Key, now + Lifetime);
        }
        return found;
    }

    /// <summary>Forgets every cached key of <paramref name="userId"/> (after a revocation).</summary>
    public void ForgetUser(string userId)
    {
        foreach (var (hash, entry) in _entries)
        {
            if (entry.User.Id == userId) _entries.TryRemove(hash, out _);
        }
    }
}
