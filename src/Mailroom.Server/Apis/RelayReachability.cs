using System.Net.Sockets;
using Mailroom.Core.Delivery;
using Mailroom.Core.Delivery.ConnectionCheck;

namespace Mailroom.Server.Apis;

/// <summary>
/// Whether the system relay takes TCP connections, for <c>/api/health/ready</c>. One connect
/// answers every probe for <see cref="CacheFor"/> (the time read from the host's
/// <see cref="TimeProvider"/>), so an orchestrator polling every few seconds does not open a
/// connection to the relay each time; probes arriving together while the answer is stale share one connect.
/// </summary>
/// <param name="clock">The clock the answer's age is read from.</param>
/// <param name="resolver">Resolves the relay's name: the host's, the one delivery connects to the relay with.</param>
/// <param name="cacheFor">How long one answer is reused.</param>
public sealed class RelayReachability(TimeProvider clock, IHostResolver resolver, TimeSpan cacheFor)
{
    /// <summary>How long an answer is reused unless the host registers another duration.</summary>
    public static readonly TimeSpan DefaultCacheDuration = TimeSpan.FromSeconds(30);

    /// <summary>How long one connect attempt may take before the relay is reported unreachable.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _probing = new(1, 1);
    private Answer? _last;

    /// <summary>With <see cref="DefaultCacheDuration"/>.</summary>
    public RelayReachability(TimeProvider clock, IHostResolver resolver) : this(clock, resolver, DefaultCacheDuration)
    {
    }

    /// <summary>How long one answer is reused.</summary>
    public TimeSpan CacheFor { get; } = cacheFor;

    /// <summary>
    /// The relay's state as the health check reports it: <c>ok</c> or <c>unreachable</c> (with the
    /// socket error), the endpoint, and when it was checked — from a connect made now, or within
    /// the last <see cref="CacheFor"/>. A TCP connect only: the relay is the operator's own, so no
    /// SSRF rule applies, and no SMTP session is opened.
    /// </summary>
    public async Task<object> CheckAsync(string host, int port, CancellationToken cancellationToken)
    {
        var endpoint = $"{host}:{port}";
        if (Fresh(endpoint) is { } cached) return cached;
        await _probing.WaitAsync(cancellationToken);
        try
        {
            // A probe that waited for another's connect takes its answer.
            if (Fresh(endpoint) is { } answered) return answered;
            var result = await ConnectAsync(host, port, endpoint, cancellationToken);
            _last = new Answer(endpoint, clock.GetUtcNow(), result);
            return result;
        }
        finally
        {
            _probing.Release();
        }
    }

    private object? Fresh(string endpoint) =>
        _last is { } last && last.Endpoint == endpoint && clock.GetUtcNow() - last.At < CacheFor ? last.Result : null;

    private async Task<object> ConnectAsync(string host, int port, string endpoint, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(ConnectTimeout);
        var checkedAt = clock.GetUtcNow();
        try
        {
            // Resolved and connected as delivery reaches the relay (NetworkGuard), so the two agree.
            var addresses = await NetworkGuard.AddressesOfAsync(resolver, host, limit.Token);
            using var socket = await NetworkGuard.ConnectAsync(addresses, port, ConnectTimeout, limit.Token);
            return new { status = "ok", endpoint, checkedAt };
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            var timedOut = ex is OperationCanceledException or SocketException { SocketErrorCode: SocketError.TimedOut };
            return new { status = "unreachable", endpoint, checkedAt, error = timedOut ? "Timeout" : ((SocketException)ex).SocketErrorCode.ToString() };
        }
    }

    private sealed record Answer(string Endpoint, DateTimeOffset At, object Result);
}
