namespace Mailroom.Core.Queue;

/// <summary>
/// Tells this node that mail became due elsewhere — enqueued, retried or released on another node
/// — so its idle workers wake within milliseconds instead of at the next poll. Optional: a
/// backend without it (SQLite, one node) registers none, and workers rely on
/// <see cref="QueueSignal"/> and polling. Polling stays on either way, as the fallback.
/// </summary>
public interface IQueueWakeupSource
{
    /// <summary>
    /// Listens until <paramref name="cancellationToken"/> is cancelled, calling
    /// <paramref name="onMailDue"/> for each notification. Reconnects by itself after a lost
    /// connection; returns only when cancelled.
    /// </summary>
    Task ListenAsync(Action onMailDue, CancellationToken cancellationToken);
}
