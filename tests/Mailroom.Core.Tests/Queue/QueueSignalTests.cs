using Mailroom.Core.Queue;

namespace Mailroom.Core.Tests.Queue;

public class QueueSignalTests
{
    [Fact]
    public async Task ManyNotifications_WhileNobodyWaits_LeaveExactlyOneWakeUp()
    {
        var signal = new QueueSignal();
        for (var i = 0; i < 1000; i++) signal.Notify();

        var first = signal.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        var second = signal.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.True(first.IsCompletedSuccessfully);   // the pending wake-up
        Assert.False(second.IsCompleted);             // no second one was kept
        signal.Notify();
        await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Notify_WakesAWorkerAlreadyWaiting()
    {
        var signal = new QueueSignal();
        var waiting = signal.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        signal.Notify();

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
