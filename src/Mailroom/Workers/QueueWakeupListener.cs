using Mailroom.Core.Queue;

namespace Mailroom.Hosting;

/// <summary>
/// Passes the backend's cross-node wake-ups (PostgreSQL LISTEN/NOTIFY) to this node's
/// <see cref="QueueSignal"/>, so an idle worker here starts on mail another node accepted within
/// milliseconds. Does nothing when the backend has no <see cref="IQueueWakeupSource"/>. A lost
/// connection is logged and listened again after a pause; the worker keeps polling meanwhile.
/// </summary>
public sealed class QueueWakeupListener(IServiceProvider services, QueueSignal signal, ILogger<QueueWakeupListener> log) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IQueueWakeupSource>() is not { } source) return;
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await source.ListenAsync(signal.Notify, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Listening for queue wake-ups failed; polling covers the gap, listening again in {Retry}", retry);
                await Task.Delay(retry, stoppingToken);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
                continue;
            }
            retry = FirstRetry;
        }
    }
}
