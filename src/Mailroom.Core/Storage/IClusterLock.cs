namespace Mailroom.Core.Storage;

/// <summary>
/// Makes a background job run on one node at a time across a deployment (bounce polling,
/// housekeeping): each node tries to take the named lock before a round, and only the holder
/// runs it. PostgreSQL holds a session advisory lock, released when the holder disposes it — or
/// when its node dies and the database ends the session. The SQLite backend has one node, so its
/// lock is this process's.
/// </summary>
public interface IClusterLock
{
    /// <summary>
    /// Takes <paramref name="name"/> when no one holds it and returns the holding, which releases
    /// it when disposed; null when another holder (on any node) has it. Never waits.
    /// </summary>
    Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>A lock per name in this process: the cluster lock of a single-node deployment.</summary>
public sealed class InProcessClusterLock : IClusterLock
{
    private readonly HashSet<string> _held = [];
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IAsyncDisposable?>(_held.Add(name) ? new Holding(this, name) : null);
        }
    }

    private sealed class Holding(InProcessClusterLock owner, string name) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                lock (owner._lock) owner._held.Remove(name);
            }
            return ValueTask.CompletedTask;
        }
    }
}
