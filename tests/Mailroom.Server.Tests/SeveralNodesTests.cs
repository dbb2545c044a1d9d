using System.Diagnostics;
using Mailroom.Testing;
using Xunit.Abstractions;
using static Mailroom.Server.Tests.QueueDriving;
using static Mailroom.Testing.Polling;

namespace Mailroom.Server.Tests;

/// <summary>
/// Two real server processes on one PostgreSQL database, delivering to Postfix's smtp-sink: no
/// message lost, none sent twice except those whose worker died holding them (counted from the
/// history), one node killed with SIGKILL mid-run while the other finishes, and a profile's rate
/// limit held by both together.
/// </summary>
public sealed class SeveralNodesTests(ITestOutputHelper output) : IDisposable
{
    private const string Key = "several-nodes-admin-key-0123456789";

    private readonly List<string> _dataDirectories = [];

    /// <summary>Deletes the nodes' data folders; every node has been killed by then (each test disposes its nodes).</summary>
    public void Dispose()
    {
        foreach (var directory in _dataDirectories) Directory.Delete(directory, recursive: true);
    }

    // A long poll: idle workers must be woken by LISTEN/NOTIFY to keep up, not by their poll.
    private static readonly (string, string) LongPoll = ("Mailroom__Delivery__PollInterval", "00:00:05");

    [SeveralNodesFact]
    public async Task TwoNodes_DeliverEveryMessage_AndTheSurvivorFinishesWhenOneIsKilled()
    {
        const int messageCount = 2000;
        using var sink = SmtpSink.Start();
        var connectionString = await PostgresTestbed.Instance.CreateDatabaseAsync("nodes");
        // A node that only accepts mail (as behind a load balancer), so the delivery rates below are the workers' alone.
        await using var accepting = await StartNodeAsync(connectionString, ("Mailroom__Delivery__WorkerEnabled", "false"));
        await ConfigureSinkAsSenderAsync(accepting.Http, sink.Port);
        var ids = await SubmitAsync([accepting.Http], messageCount);

        var clock = Stopwatch.StartNew();
        await using var first = await StartNodeAsync(connectionString, LongPoll);
        await using var second = await StartNodeAsync(connectionString, LongPoll);
        var bothUpUtc = DateTime.UtcNow;
        var arrivedBeforeKill = await WaitUntilAsync(() => sink.ReceivedCount, n => n >= messageCount * 2 / 5, TimeSpan.FromSeconds(120));
        var killedAt = clock.Elapsed;
        var killedAtUtc = DateTime.UtcNow;
        await second.KillAsync();
        await WaitUntilAsync(() => SentCountAsync(accepting.Http), sent => sent == messageCount, TimeSpan.FromSeconds(180));

        var arrivals = sink.ReceivedMessageIds();
        var missing = ids.Where(id => !arrivals.Any(a => a.Contains(id, StringComparison.Ordinal))).ToArray();
        var duplicates = arrivals.Count - arrivals.Distinct().Count();
        var reclaimed = await CountReclaimedAsync(accepting.Http, ids);
        // Delivery rates from the sink's arrival times: two nodes from the moment both were up to
        // the kill; the survivor alone from one lease after the kill (when the dead node's
        // messages are free again) to the end.
        var times = sink.ArrivalTimes();
        var twoNodes = Rate(times, bothUpUtc, killedAtUtc);
        var survivor = Rate(times, killedAtUtc + TimeSpan.FromSeconds(3), times[^1]);
        output.WriteLine(
            $"messages: {messageCount}; {arrivedBeforeKill} had arrived when one node was killed ({killedAt.TotalSeconds:0.0} s after the workers' start-up began); " +
            $"two nodes: {twoNodes.Count} in {twoNodes.Seconds:0.0} s = {twoNodes.Count / twoNodes.Seconds:0} msg/s; " +
            $"the survivor alone: {survivor.Count} in {survivor.Seconds:0.0} s = {survivor.Count / survivor.Seconds:0} msg/s; " +
            $"arrivals: {arrivals.Count}; duplicates: {duplicates}; claimed again after a lost lease: {reclaimed}");

        Assert.True(arrivedBeforeKill < messageCount, "the kill must land while delivery is still going on");
        Assert.Empty(missing);
        Assert.True(duplicates <= reclaimed, $"{duplicates} duplicates but only {reclaimed} messages were in flight when the node died");
        Assert.Equal(messageCount, arrivals.Distinct().Count());
    }

    [SeveralNodesFact]
    public async Task DeliveryRate_WithOneNodeAndWithTwo_IsMeasured()
    {
        // Not a pass/fail benchmark: it prints the figures docs/storage.md quotes, and checks only
        // that every message arrived. Mail is submitted due a little later, so the workers start
        // from an idle, full queue and the rate is delivery alone.
        const int messageCount = 600;
        using var sink = SmtpSink.Start();
        var connectionString = await PostgresTestbed.Instance.CreateDatabaseAsync("rate");
        await using var accepting = await StartNodeAsync(connectionString, ("Mailroom__Delivery__WorkerEnabled", "false"));
        await ConfigureSinkAsSenderAsync(accepting.Http, sink.Port);

        var results = new List<string>();
        foreach (var nodeCount in new[] { 1, 2 })
        {
            var workers = new List<MailroomServerProcess>();
            for (var i = 0; i < nodeCount; i++) workers.Add(await StartNodeAsync(connectionString, ("Mailroom__Delivery__PollInterval", "00:00:00.200")));
            try
            {
                var before = await SentCountAsync(accepting.Http);
                var filesBefore = sink.ReceivedCount;
                var due = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(8);
                await SubmitAsync([accepting.Http], messageCount, $"Rate {nodeCount}", sendAfter: due);
                // On a loaded machine submitting may outlast the head start; the figure then says so
                // rather than the test failing on time (speed is the benchmark's business).
                var overlapped = DateTimeOffset.UtcNow >= due ? " (submission overlapped delivery: slow machine)" : "";
                // Done when the queue says so, not when the sink has a file for each: smtp-sink creates
                // the file as the transaction starts, and killing the nodes then would cut the last
                // message off (it would be delivered again, late, by the next phase).
                await WaitUntilAsync(() => SentCountAsync(accepting.Http), sent => sent >= before + messageCount, TimeSpan.FromSeconds(180));
                var times = sink.ArrivalTimes().Skip(filesBefore).ToArray();
                var seconds = (times[^1] - due.UtcDateTime).TotalSeconds;
                results.Add($"{nodeCount} node(s): {messageCount} messages in {seconds:0.00} s from due (plus up to one 200 ms poll) to last arrival = {messageCount / seconds:0} msg/s{overlapped}");
            }
            finally
            {
                foreach (var worker in workers) await worker.DisposeAsync();
            }
        }
        output.WriteLine(string.Join("; ", results));
        // The sink creates a dump file before it has written the whole message: wait until the last
        // files can be read (their Message-Id), then count distinct messages.
        await WaitUntilAsync(() => sink.ReceivedMessageIds().Distinct().Count(), n => n >= 2 * messageCount, TimeSpan.FromSeconds(30));
        Assert.Equal(2 * messageCount, sink.ReceivedMessageIds().Distinct().Count());
    }

    [SeveralNodesFact]
    public async Task TwoNodes_TogetherHoldTheProfilesRateLimit()
    {
        // "Per minute" counts over a 2 s window here, so several windows pass in a short test.
        const int cap = 8, messageCount = 48;
        var window = TimeSpan.FromSeconds(2);
        using var sink = SmtpSink.Start();
        var connectionString = await PostgresTestbed.Instance.CreateDatabaseAsync("ratelimit");
        (string, string) shortMinute = ("Mailroom__Delivery__RateLimitMinute", "00:00:02");
        await using var first = await StartNodeAsync(connectionString, shortMinute, LongPoll);
        await using var second = await StartNodeAsync(connectionString, shortMinute, LongPoll);
        await ConfigureSinkAsSenderAsync(first.Http, sink.Port, rateLimitPerMinute: cap);

        var clock = Stopwatch.StartNew();
        await SubmitAsync([first.Http, second.Http], messageCount, "Rate limit");
        await WaitUntilAsync(() => sink.ReceivedCount, n => n >= messageCount, TimeSpan.FromSeconds(90));
        var elapsed = clock.Elapsed;

        var times = sink.ArrivalTimes();
        var busiest = Busiest(times, window);
        output.WriteLine($"{messageCount} messages at {cap} per {window.TotalSeconds} s over two nodes took {elapsed.TotalSeconds:0.0} s; " +
                         $"the busiest {window.TotalSeconds} s at the sink saw {busiest}");

        // Two uncoordinated nodes would each allow the cap: twice the cap per window, and the
        // whole run in half the time. Slots are exact in the database, but arrivals at the sink
        // trail them unevenly — by milliseconds, by hundreds of them when a node opens its SMTP
        // connection or the machine is loaded — so two sends one window apart can land a little
        // less than a window apart (a connection opened after an idle second adds its handshake to
        // one send). Hence the sink may see some over the cap, but not twice it (what two
        // uncoordinated nodes allow); and the run can never be faster than the cap allows, which
        // jitter cannot fake — that second assertion is the exact one.
        Assert.InRange(busiest, 1, 2 * cap - 1);
        Assert.True(elapsed >= window * (messageCount / cap - 1), $"{messageCount} messages took only {elapsed.TotalSeconds:0.0} s");
    }

    private static (int Count, double Seconds) Rate(IReadOnlyList<DateTime> times, DateTime from, DateTime to) =>
        (times.Count(t => t >= from && t <= to), (to - from).TotalSeconds);

    private static int Busiest(IReadOnlyList<DateTime> sortedTimes, TimeSpan window) =>
        sortedTimes.Select((start, i) => sortedTimes.Skip(i).TakeWhile(t => t - start < window).Count()).Max();

    private Task<MailroomServerProcess> StartNodeAsync(string connectionString, params (string Name, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["Mailroom__Storage__Provider"] = "postgresql",
            ["Mailroom__Storage__ConnectionString"] = connectionString,
            ["Mailroom__Bootstrap__AdminApiKey"] = Key,
            ["Mailroom__Delivery__LeaseDuration"] = "00:00:03",
            ["Mailroom__Delivery__SmtpTimeout"] = "00:00:10",
        };
        foreach (var (name, value) in settings) environment[name] = value;
        // Each node has its own data folder (keys, captured mail), as on separate machines.
        var dataDirectory = Directory.CreateTempSubdirectory("mailroom-node-").FullName;
        _dataDirectories.Add(dataDirectory);
        return MailroomServerProcess.StartAsync(dataDirectory, environment, Key);
    }
}

/// <summary>Needs both PostgreSQL and Postfix's smtp-sink: skipped loudly without them, failing when CI=true.</summary>
public sealed class SeveralNodesFactAttribute : FactAttribute
{
    public SeveralNodesFactAttribute()
    {
        if ((PostgresTestbed.SkipReason ?? MailTestbed.SkipReason) is { } reason) Skip = reason;
    }
}
