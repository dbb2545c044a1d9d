using Mailroom.Core.Delivery;
using Mailroom.Core.Storage;

namespace Mailroom.Storage.Compliance;

/// <summary>What every backend's cluster lock and sending-cap counter must do.</summary>
public abstract class ClusterCompliance : IAsyncLifetime
{
    private IStorageBackend? _backend;

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    private IClusterLock Lock => _backend!.ClusterLock;
    private ISendRateLimiter Limiter => _backend!.RateLimiter;

    public async Task InitializeAsync() => _backend = await CreateBackendAsync();

    public async Task DisposeAsync()
    {
        if (_backend is not null) await _backend.DisposeAsync();
    }

    [Fact]
    public async Task ClusterLock_HasOneHolderAtATime_AndIsFreeAgainWhenReleased()
    {
        var first = await Lock.TryAcquireAsync("bounce-poller");
        var second = await Lock.TryAcquireAsync("bounce-poller");
        var other = await Lock.TryAcquireAsync("housekeeping");

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.NotNull(other);

        await first.DisposeAsync();
        await using var afterRelease = await Lock.TryAcquireAsync("bounce-poller");
        Assert.NotNull(afterRelease);
        await other!.DisposeAsync();
    }

    [Fact]
    public async Task RateLimiter_AllowsTheCap_ThenNamesTheWait_ThenAllowsAgainOnceTheWindowMoves()
    {
        SendRateLimit[] twoPerSecond = [new(2, TimeSpan.FromSeconds(1))];

        Assert.Equal(TimeSpan.Zero, await Limiter.TryTakeAsync("smtp.example.test:587:a", twoPerSecond));
        Assert.Equal(TimeSpan.Zero, await Limiter.TryTakeAsync("smtp.example.test:587:a", twoPerSecond));
        var wait = await Limiter.TryTakeAsync("smtp.example.test:587:a", twoPerSecond);
        var otherAccount = await Limiter.TryTakeAsync("smtp.example.test:587:b", twoPerSecond);

        Assert.InRange(wait, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, otherAccount);
        await Task.Delay(wait + TimeSpan.FromMilliseconds(20));
        Assert.Equal(TimeSpan.Zero, await Limiter.TryTakeAsync("smtp.example.test:587:a", twoPerSecond));
    }

    [Fact]
    public async Task RateLimiter_UnderConcurrentSenders_GivesOutExactlyTheCap()
    {
        SendRateLimit[] fivePerMinute = [new(5, TimeSpan.FromMinutes(1))];

        var waits = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Limiter.TryTakeAsync("relay.example.test:25:", fivePerMinute)));

        Assert.Equal(5, waits.Count(w => w == TimeSpan.Zero));
        Assert.All(waits.Where(w => w != TimeSpan.Zero), w => Assert.InRange(w, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1)));
    }
}
