using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Server.Apis;
using Mailroom.Testing;

namespace Mailroom.Server.Tests.Hardening;

/// <summary>
/// The readiness probe's relay check (<see cref="RelayReachability"/>): one TCP connect answers
/// the probes within the cache duration; after it, the next probe connects again. Connections are
/// counted on a real listener on 127.0.0.1; the clock is the test's, so no test waits 30 s.
/// </summary>
public sealed class RelayReachabilityTests : IDisposable
{
    private readonly CountingListener _relay = new();
    private readonly RelayReachabilityClock _clock = new();

    public void Dispose() => _relay.Dispose();

    [Fact]
    public async Task ProbesWithinTheCacheDuration_ShareOneConnect_AndALaterProbeConnectsAgain()
    {
        var reachability = new RelayReachability(_clock, SystemHostResolver.Instance, TimeSpan.FromSeconds(30));

        var first = await reachability.CheckAsync("127.0.0.1", _relay.Port, CancellationToken.None);
        Assert.Equal(1, await _relay.WaitForAsync(1));
        _clock.Advance(TimeSpan.FromSeconds(29));
        var second = await reachability.CheckAsync("127.0.0.1", _relay.Port, CancellationToken.None);
        Assert.Equal(1, _relay.Accepted());
        _clock.Advance(TimeSpan.FromSeconds(1));
        var third = await reachability.CheckAsync("127.0.0.1", _relay.Port, CancellationToken.None);

        Assert.Equal(2, await _relay.WaitForAsync(2));
        Assert.Equal("ok", Field(first, "status"));
        Assert.Same(first, second);
        Assert.NotSame(first, third);
        Assert.Equal($"127.0.0.1:{_relay.Port}", Field(third, "endpoint"));
    }

    [Fact]
    public async Task ProbesArrivingTogether_OpenOneConnection()
    {
        var reachability = new RelayReachability(_clock, SystemHostResolver.Instance, TimeSpan.FromSeconds(30));

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => reachability.CheckAsync("127.0.0.1", _relay.Port, CancellationToken.None))));

        Assert.Equal(1, await _relay.WaitForAsync(1));
        Assert.All(answers, answer => Assert.Same(answers[0], answer));
    }

    [Fact]
    public async Task AnUnreachableRelay_IsReportedWithTheSocketError_AndTheAnswerIsReusedToo()
    {
        var closedPort = _relay.Port;
        _relay.Dispose(); // nothing listens there now: connection refused
        var reachability = new RelayReachability(_clock, SystemHostResolver.Instance, TimeSpan.FromSeconds(30));

        var first = await reachability.CheckAsync("127.0.0.1", closedPort, CancellationToken.None);
        var second = await reachability.CheckAsync("127.0.0.1", closedPort, CancellationToken.None);

        Assert.Equal("unreachable", Field(first, "status"));
        Assert.Equal(nameof(SocketError.ConnectionRefused), Field(first, "error"));
        Assert.Same(first, second);
    }

    [Fact]
    public async Task TheRelaysName_IsResolvedByTheHostsResolver_AsDeliveryResolvesIt()
    {
        // A name only the given resolver knows: the operating system's lookup would fail.
        var resolver = new OneNameResolver("relay.mailroom.invalid", IPAddress.Loopback);
        var reachability = new RelayReachability(_clock, resolver, TimeSpan.FromSeconds(30));

        var answer = await reachability.CheckAsync("relay.mailroom.invalid", _relay.Port, CancellationToken.None);

        Assert.Equal("ok", Field(answer, "status"));
        Assert.Equal(1, await _relay.WaitForAsync(1));
    }

    private sealed class OneNameResolver(string name, IPAddress address) : IHostResolver
    {
        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<IPAddress>>(string.Equals(host, name, StringComparison.OrdinalIgnoreCase) ? [address] : []);
    }

    private static string? Field(object answer, string name) => JsonSerializer.SerializeToElement(answer).GetProperty(name).GetString();
}

/// <summary>A clock only the test moves (given to the one object under test, not to a whole host).</summary>
internal sealed class RelayReachabilityClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>A TCP listener on 127.0.0.1 that counts the connections made to it.</summary>
internal sealed class CountingListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private int _accepted;

    public CountingListener() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>
    /// Connections made so far. A client's connect returns once the handshake is done, so a
    /// connection made before this call is already waiting to be accepted here.
    /// </summary>
    public int Accepted()
    {
        while (_listener.Pending())
        {
            _listener.AcceptSocket().Dispose();
            _accepted++;
        }
        return _accepted;
    }

    /// <summary>The count once it reaches <paramref name="expected"/> (bounded wait), or the count seen last.</summary>
    public async Task<int> WaitForAsync(int expected)
    {
        try
        {
            return await Polling.WaitUntilAsync(() => Task.FromResult(Accepted()), n => n >= expected, TimeSpan.FromSeconds(5), interval: TimeSpan.FromMilliseconds(20));
        }
        catch (TimeoutException)
        {
            return Accepted();
        }
    }

    public void Dispose() => _listener.Stop();
}
