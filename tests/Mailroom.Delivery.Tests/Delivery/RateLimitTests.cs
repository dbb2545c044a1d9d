using Mailroom.Core.Delivery;
using Mailroom.Core.Settings;
using Mailroom.Testing;
using static Mailroom.Delivery.Tests.Delivery.DeliveryTestData;

namespace Mailroom.Delivery.Tests.Delivery;

/// <summary>Per-minute and per-day caps wait on the injected clock, and defer when the wait would be too long.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly ScriptedSmtpServer _server = new();
    private readonly ManualTimeProvider _clock = new();

    private EffectiveSenderSettings Sender => OwnSmtp("127.0.0.1", _server.Port);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private SmtpDeliveryAgent NewAgent(TimeSpan maxWait) => Agent(new SmtpDeliveryOptions
    {
        CommandTimeout = TestCommandTimeout,
        MaxRateLimitWait = maxWait,
        IdleConnectionTimeout = TimeSpan.FromHours(1),
    }, _clock);

    [Fact]
    public async Task ThirdMessageInAMinute_WaitsForTheClock_WhenTheLimitIsTwoPerMinute()
    {
        await using var agent = NewAgent(TimeSpan.FromMinutes(2));
        var limited = Sender with { RateLimitPerMinute = 2 };
        Assert.Equal(DeliveryOutcomeKind.Delivered, (await agent.DeliverAsync(Queued("a@example.test"), limited)).Kind);
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(DeliveryOutcomeKind.Delivered, (await agent.DeliverAsync(Queued("b@example.test"), limited)).Kind);

        var third = agent.DeliverAsync(Queued("c@example.test"), limited);
        await Task.Delay(200);
        Assert.False(third.IsCompleted);
        Assert.Equal(2, _server.Messages.Count);

        _clock.Advance(TimeSpan.FromSeconds(49)); // 59 s after the first: still full
        await Task.Delay(100);
        Assert.False(third.IsCompleted);

        _clock.Advance(TimeSpan.FromSeconds(1)); // the first send leaves the window
        var outcome = await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(DeliveryOutcomeKind.Delivered, outcome.Kind);
        Assert.Equal(3, _server.Messages.Count);
    }

    [Fact]
    public async Task WaitLongerThanTheMaximum_IsTransient_AndSendsNothing()
    {
        await using var agent = NewAgent(TimeSpan.FromSeconds(30));
        var limited = Sender with { RateLimitPerMinute = 2 };
        await agent.DeliverAsync(Queued("a@example.test"), limited);
        await agent.DeliverAsync(Queued("b@example.test"), limited);

        var outcome = await agent.DeliverAsync(Queued("c@example.test"), limited).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(DeliveryOutcomeKind.Transient, outcome.Kind);
        Assert.Contains("2 per minute", outcome.Reason);
        Assert.Equal(2, _server.Messages.Count);
    }

    [Fact]
    public async Task DailyCapReached_IsTransientUntilADayHasPassed()
    {
        await using var agent = NewAgent(TimeSpan.FromMinutes(1));
        var limited = Sender with { RateLimitPerDay = 1 };
        Assert.Equal(DeliveryOutcomeKind.Delivered, (await agent.DeliverAsync(Queued("a@example.test"), limited)).Kind);

        _clock.Advance(TimeSpan.FromHours(23));
        var capped = await agent.DeliverAsync(Queued("b@example.test"), limited);
        _clock.Advance(TimeSpan.FromHours(1));
        var nextDay = await agent.DeliverAsync(Queued("c@example.test"), limited);

        Assert.Equal(DeliveryOutcomeKind.Transient, capped.Kind);
        Assert.Contains("1 per day", capped.Reason);
        Assert.Contains("1 h", capped.Reason);
        Assert.Equal(DeliveryOutcomeKind.Delivered, nextDay.Kind);
    }

    [Fact]
    public async Task LimitsAreCountedPerEndpoint()
    {
        await using var other = new ScriptedSmtpServer();
        await using var agent = NewAgent(TimeSpan.Zero);
        var limited = Sender with { RateLimitPerMinute = 1 };

        var first = await agent.DeliverAsync(Queued("a@example.test"), limited);
        var elsewhere = await agent.DeliverAsync(Queued("a@example.test"), limited with { Port = other.Port });
        var again = await agent.DeliverAsync(Queued("b@example.test"), limited);

        Assert.Equal(DeliveryOutcomeKind.Delivered, first.Kind);
        Assert.Equal(DeliveryOutcomeKind.Delivered, elsewhere.Kind);
        Assert.Equal(DeliveryOutcomeKind.Transient, again.Kind);
    }

    [Fact]
    public async Task NoLimits_NeverWait()
    {
        await using var agent = NewAgent(TimeSpan.Zero);

        for (var index = 0; index < 5; index++)
            Assert.Equal(DeliveryOutcomeKind.Delivered, (await agent.DeliverAsync(Queued($"r{index}@example.test"), Sender)).Kind);
    }
}
