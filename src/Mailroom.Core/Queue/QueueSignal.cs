namespace Mailroom.Core.Queue;

/// <summary>
/// Wakes idle workers in this process the moment a message is queued, so a test message does
/// not wait for the next poll. Workers still poll, so mail queued by another process (or
/// another node) is found too.
/// </summary>
public sealed class QueueSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Something was queued.</summary>
    public void Notify()
    {
        // At most one pending wake-up: several enqueues while workers are busy need only one. The
        // count is read first because a steady stream of submissions finds it already set nearly
        // every time, and Release would throw each time; a race between the read and the Release
        // only costs that one exception.
        if (_signal.CurrentCount > 0) return;
        try { _signal.Release(); } catch (SemaphoreFullException) { }
    }

    /// <summary>Waits for <see cref="Notify"/> or <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _signal.WaitAsync(timeout, cancellationToken);
}
