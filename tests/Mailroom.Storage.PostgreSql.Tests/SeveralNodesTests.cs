using System.Diagnostics;
using Mailroom.Testing;
using Mailroom.Core.Delivery;
using Mailroom.Core.Mail;
using Xunit.Abstractions;

namespace Mailroom.Storage.PostgreSql.Tests;

/// <summary>Several nodes, each with its own connection pool, on one database.</summary>
public sealed class SeveralNodesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PostgreSqlBackend? _first;
    private PostgreSqlDatabase? _secondNode;

    private PostgreSqlBackend First => _first!;
    private PostgreSqlDatabase SecondNode => _secondNode!;

    public async Task InitializeAsync()
    {
        _first = await PostgreSqlBackend.CreateAsync();
        _secondNode = new PostgreSqlDatabase(_first.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_secondNode is not null) await _secondNode.DisposeAsync();
        if (_first is not null) await _first.DisposeAsync();
    }

    [Fact]
    public async Task MailQueuedOnOneNode_WakesAListenerOnAnother_WithinASecond()
    {
        using var stop = new CancellationTokenSource();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var listener = new PostgreSqlQueueWakeups(SecondNode).ListenAsync(() =>
        {
            // The first call is the catch-up look right after LISTEN; the next is the notification.
            if (Interlocked.Increment(ref calls) == 1) listening.TrySetResult();
            else woken.TrySetResult();
        }, stop.Token);
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var clock = Stopwatch.StartNew();
        await First.Queue.EnqueueAsync(new MessageDraft { To = ["a@example.test"], Subject = "s", TextBody = "b" }, DateTimeOffset.UtcNow);
        await woken.Task.WaitAsync(TimeSpan.FromSeconds(1));
        output.WriteLine($"woken {clock.Elapsed.TotalMilliseconds:0.0} ms after the enqueue returned (commit included)");

        await stop.CancelAsync();
        await listener;
    }

    [Fact]
    public async Task MailDueLater_SendsNoWakeup()
    {
        using var stop = new CancellationTokenSource();
        var calls = 0;
        var listener = new PostgreSqlQueueWakeups(SecondNode).ListenAsync(() => Interlocked.Increment(ref calls), stop.Token);
        await Polling.WaitUntilAsync(() => Volatile.Read(ref calls) == 1, TimeSpan.FromSeconds(10));

        await First.Queue.EnqueueAsync(
            new MessageDraft { To = ["a@example.test"], Subject = "s", TextBody = "b", SendAfter = DateTimeOffset.UtcNow.AddHours(1) }, DateTimeOffset.UtcNow);
        await Task.Delay(300);

        Assert.Equal(1, Volatile.Read(ref calls));
        await stop.CancelAsync();
        await listener;
    }

    [Fact]
    public async Task ClusterLock_HeldByOneNode_IsRefusedToTheOther_UntilReleased()
    {
        var onFirst = await First.ClusterLock.TryAcquireAsync("bounce-poller");
        var onSecond = await new PostgreSqlClusterLock(SecondNode).TryAcquireAsync("bounce-poller");

        Assert.NotNull(onFirst);
        Assert.Null(onSecond);
        await onFirst.DisposeAsync();
        await using var afterRelease = await new PostgreSqlClusterLock(SecondNode).TryAcquireAsync("bounce-poller");
        Assert.NotNull(afterRelease);
    }

    [Fact]
    public async Task RateLimit_IsSharedByTwoNodesSendingAsTheSameAccount()
    {
        SendRateLimit[] tenPerMinute = [new(10, TimeSpan.FromMinutes(1))];
        var second = new PostgreSqlSendRateLimiter(SecondNode);

        var waits = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            (i % 2 == 0 ? First.RateLimiter : second).TryTakeAsync("smtp.example.test:587:shop@example.test", tenPerMinute)));

        Assert.Equal(10, waits.Count(w => w == TimeSpan.Zero));
    }
}

/// <summary>Mailroom:Delivery:MaxConnectionsPerServer counted across nodes, not per node.</summary>
public sealed class ClusterConnectionLimitTests : IAsyncLifetime
{
    private PostgreSqlBackend? _backend;
    private readonly List<PostgreSqlDatabase> _nodes = [];

    public async Task InitializeAsync() => _backend = await PostgreSqlBackend.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        if (_backend is not null) await _backend.DisposeAsync();
    }

    [Fact]
    public async Task TwoNodes_NeverOpenMoreConnectionsToOneServer_ThanTheLimit()
    {
        await using var server = new Testing.ScriptedSmtpServer(new Testing.SmtpScript { DataFinalReplyDelay = TimeSpan.FromMilliseconds(150) });

        // Without cluster slots each node fills its own pool: the instrument sees more than the limit.
        var unlimited = await SendFromTwoNodesAsync(server, clusterSlots: false);
        Assert.True(server.PeakOpenConnections > 2, $"control: peak {server.PeakOpenConnections} open connections");
        Assert.Equal(16, unlimited);

        await using var limitedServer = new Testing.ScriptedSmtpServer(new Testing.SmtpScript { DataFinalReplyDelay = TimeSpan.FromMilliseconds(150) });
        var delivered = await SendFromTwoNodesAsync(limitedServer, clusterSlots: true);

        Assert.Equal(16, delivered);
        Assert.InRange(limitedServer.PeakOpenConnections, 1, 2);
        Assert.Equal(16, limitedServer.Messages.Count);
    }

    // Two agents (two nodes, each with its own database pool), MaxConnectionsPerServer = 2, 8 messages each at once.
    private async Task<int> SendFromTwoNodesAsync(Testing.ScriptedSmtpServer server, bool clusterSlots)
    {
        var agents = new List<SmtpDeliveryAgent>();
        for (var i = 0; i < 2; i++)
        {
            var node = new PostgreSqlDatabase(_backend!.ConnectionString);
            _nodes.Add(node);
            agents.Add(new SmtpDeliveryAgent(
                new SmtpDeliveryOptions { MaxConnectionsPerServer = 2, CommandTimeout = TimeSpan.FromSeconds(10) },
                new NoSecrets(), connectionSlots: clusterSlots ? new PostgreSqlClusterLock(node) : null));
        }
        var sender = new Core.Settings.EffectiveSenderSettings
        {
            Enabled = true,
            FromAddress = "node@example.test",
            Host = "127.0.0.1",
            Port = server.Port,
            Encryption = Core.Settings.EncryptionMode.None,
            Authentication = Core.Settings.AuthenticationMethod.None,
            SenderMode = Core.Settings.SenderMode.OwnSmtp,
            Sources = new Dictionary<string, Core.Settings.SettingSource>(),
        };
        try
        {
            var outcomes = await Task.WhenAll(agents.SelectMany(agent => Enumerable.Range(0, 8).Select(n => Task.Run(() =>
                agent.DeliverAsync(Queued(n), sender)))));
            return outcomes.Count(o => o.Kind == DeliveryOutcomeKind.Delivered);
        }
        finally
        {
            foreach (var agent in agents) await agent.DisposeAsync();
        }
    }

    private static Core.Queue.QueuedMessage Queued(int n) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Draft = new MessageDraft { To = [$"rcpt{n}@example.test"], Subject = $"slot {n}", TextBody = "b" },
        Status = MessageStatus.Sending,
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
        NextAttemptAt = DateTimeOffset.UtcNow,
    };

    private sealed class NoSecrets : Core.Security.ISecretProtector
    {
        public string Protect(string plaintext) => throw new NotSupportedException();

        public string Unprotect(string protectedValue) => throw new NotSupportedException();
    }
}
