using System.Collections.Concurrent;
using Mailroom.Core.Audit;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Settings;

/// <summary>
/// Keeps the sender profiles and deployment settings read from a backend for a moment: every submission
/// and every claimed batch resolves a sender's settings, and they change seldom. A save through this
/// process clears what it read at once; a save by another node on the same database (PostgreSQL) is seen
/// after at most <see cref="DefaultDuration"/>. The audit trail is not cached.
/// </summary>
/// <remarks>Both backends register their settings store behind this one, so the rule is the same for both.</remarks>
public sealed class CachedSettingsStore(ISettingsStore store, TimeProvider clock, TimeSpan? duration = null) : ISettingsStore
{
    /// <summary>How long a value read is served before the backend is asked again.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _duration = duration ?? DefaultDuration;
    private readonly ConcurrentDictionary<ProfileScope, Entry<SenderProfile?>> _profiles = new();
    private Entry<DeploymentSettings>? _deployment;
    // Bumped by every save: a read that began before a save must not store what it read afterwards.
    private long _generation;

    /// <inheritdoc />
    public async Task<SenderProfile?> GetProfileAsync(ProfileScope scope, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (_profiles.TryGetValue(scope, out var cached) && cached.IsFresh(now, _duration)) return cached.Value;
        var generation = Interlocked.Read(ref _generation);
        var profile = await store.GetProfileAsync(scope, cancellationToken);
        var entry = new Entry<SenderProfile?>(profile, now);
        _profiles[scope] = entry;
        // A save that came meanwhile cleared the cache before or after this write: in both cases it must not stay.
        if (Interlocked.Read(ref _generation) != generation) _profiles.TryRemove(KeyValuePair.Create(scope, entry));
        return profile;
    }

    /// <inheritdoc />
    public async Task SaveProfileAsync(ProfileScope scope, SenderProfile profile, SettingsAuditEntry audit, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.SaveProfileAsync(scope, profile, audit, cancellationToken);
        }
        finally
        {
            Forget();
        }
    }

    /// <inheritdoc />
    public async Task<DeploymentSettings> GetDeploymentSettingsAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (Volatile.Read(ref _deployment) is { } cached && cached.IsFresh(now, _duration)) return cached.Value;
        var generation = Interlocked.Read(ref _generation);
        var deployment = await store.GetDeploymentSettingsAsync(cancellationToken);
        var entry = new Entry<DeploymentSettings>(deployment, now);
        Volatile.Write(ref _deployment, entry);
        if (Interlocked.Read(ref _generation) != generation) Interlocked.CompareExchange(ref _deployment, null, entry);
        return deployment;
    }

    /// <inheritdoc />
    public async Task SaveDeploymentSettingsAsync(DeploymentSettings settings, SettingsAuditEntry audit, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.SaveDeploymentSettingsAsync(settings, audit, cancellationToken);
        }
        finally
        {
            Forget();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SettingsAuditEntry>> GetAuditTrailAsync(string? target, int limit, CancellationToken cancellationToken = default) =>
        store.GetAuditTrailAsync(target, limit, cancellationToken);

    // Everything, not only the scope saved: simple, and saves are rare.
    private void Forget()
    {
        Interlocked.Increment(ref _generation);
        _profiles.Clear();
        Volatile.Write(ref _deployment, null);
    }

    private sealed record Entry<T>(T Value, DateTimeOffset ReadAt)
    {
        public bool IsFresh(DateTimeOffset now, TimeSpan duration) => now - ReadAt < duration && now >= ReadAt;
    }
}
