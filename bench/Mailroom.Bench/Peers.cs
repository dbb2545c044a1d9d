using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Mailroom.Bench;

internal sealed record BenchOptions(
    int Messages, int Concurrency, int SubmitConcurrency, int Warmup, int BodyBytes,
    string Repo, string WorkDir, string ServerDll, TimeSpan Stall, string? Only, string Storage = "sqlite", int Nodes = 1);

/// <summary>One peer's figures. Rates are messages per second; latencies in milliseconds.</summary>
internal sealed record PeerResult(
    string Name,
    string Path,
    int Messages,
    int Delivered,
    double? EndToEndSeconds,
    double? EndToEndPerSecond,
    double? SubmitSeconds,
    double? SubmitPerSecond,
    Percentiles? Latency,
    string LatencyMeaning,
    string? Error,
    IReadOnlyDictionary<string, int>? FinalStatuses = null,
    int Round = 1);

internal sealed record Percentiles(double P50, double P95, double P99, double Max, int Count)
{
    public static Percentiles? Of(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return null;
        double At(double p) => v[Math.Clamp((int)Math.Ceiling(p * v.Length) - 1, 0, v.Length - 1)];
        return new(At(0.50), At(0.95), At(0.99), v[^1], v.Length);
    }
}

internal static class Mail
{
    public const string From = "bench@example.test";
    public const string To = "rcpt@example.test";

    /// <summary>A plain-text body of about <paramref name="bytes"/> bytes in lines like smtp-source's ("1XXX…").</summary>
    public static string Body(int bytes)
    {
        var sb = new StringBuilder(bytes + 80);
        for (var line = 1; sb.Length < bytes; line++)
        {
            var prefix = line.ToString();
            var width = Math.Min(78, bytes - sb.Length - 2);
            if (width <= prefix.Length) break;
            sb.Append(prefix).Append('X', width - prefix.Length).Append("\r\n");
        }
        return sb.ToString();
    }
}

/// <summary>smtp-source → private relay-only Postfix → smtp-sink.</summary>
internal static class PostfixPeer
{
    public static PeerResult Run(BenchOptions o)
    {
        const string name = "postfix-relay";
        const string path = "smtp-source -> Postfix (relay-only, queue on disk) -> smtp-sink";
        using var sink = new Sink(o.Repo, o.WorkDir);
        var script = System.IO.Path.Combine(o.Repo, "testbed", "postfix-relay.sh");
        var relayPort = Infra.FreePort();
        var env = new Dictionary<string, string>
        {
            ["RELAY_DIR"] = System.IO.Path.Combine(o.WorkDir, $"relay-{relayPort}"),
            ["RELAY_PORT"] = relayPort.ToString(),
            ["RELAY_NEXTHOP_PORT"] = sink.Port.ToString(),
        };
        Infra.RunScript(script, "start", env, TimeSpan.FromSeconds(60));
        try
        {
            var clock = Stopwatch.StartNew();
            if (o.Warmup > 0)
            {
                SmtpSource(relayPort, o.Warmup, o);
                if (sink.WaitFor(o.Warmup, clock, o.Stall).ReachedAt is null)
                    return Failed(name, path, o, sink.Count(), "warm-up messages did not all reach the sink");
            }
            var baseline = sink.Count();
            clock.Restart();
            SmtpSource(relayPort, o.Messages, o);
            var submitted = clock.Elapsed;
            var (reached, count) = sink.WaitFor(baseline + o.Messages, clock, o.Stall);
            var delivered = count - baseline;
            if (reached is null) return Failed(name, path, o, delivered, $"only {delivered} of {o.Messages} reached the sink (stalled)");
            return new PeerResult(name, path, o.Messages, delivered, reached.Value.TotalSeconds, o.Messages / reached.Value.TotalSeconds,
                submitted.TotalSeconds, o.Messages / submitted.TotalSeconds, null, "not measured", null);
        }
        finally
        {
            try { Infra.RunScript(script, "clean", env, TimeSpan.FromSeconds(60)); }
            catch (Exception ex) { Console.Error.WriteLine($"postfix-relay clean: {ex.Message}"); }
        }
    }

    private static void SmtpSource(int port, int count, BenchOptions o)
    {
        // -d: keep each of the -s sessions open for all its messages; -l: body length; -M: HELO name
        var psi = new ProcessStartInfo("/usr/sbin/smtp-source") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-d", "-s", o.Concurrency.ToString(), "-m", count.ToString(), "-l", o.BodyBytes.ToString(),
                     "-M", "localhost", "-f", Mail.From, "-t", Mail.To, $"127.0.0.1:{port}" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var @out = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(Math.Max(60, count))))
        {
            p.Kill();
            throw new InvalidOperationException("smtp-source did not finish in time");
        }
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"smtp-source failed ({p.ExitCode}): {err.Result}{@out.Result}");
    }

    internal static PeerResult Failed(string name, string path, BenchOptions o, int delivered, string error) =>
        new(name, path, o.Messages, delivered, null, null, null, null, null, "not measured", error);
}

/// <summary>MailKit SmtpClient loops, one per connection, straight to smtp-sink.</summary>
internal static class MailKitPeer
{
    public static async Task<PeerResult> RunAsync(BenchOptions o)
    {
        const string name = "bare-mailkit";
        var path = $"{o.Concurrency} MailKit SmtpClient connections -> smtp-sink (no queue, nothing stored)";
        using var sink = new Sink(o.Repo, o.WorkDir);
        var body = Mail.Body(o.BodyBytes);
        var clock = Stopwatch.StartNew();
        if (o.Warmup > 0)
        {
            await SendAllAsync(sink.Port, o.Warmup, o.Concurrency, body, "warm-up");
            if (sink.WaitFor(o.Warmup, clock, o.Stall).ReachedAt is null)
                return PostfixPeer.Failed(name, path, o, sink.Count(), "warm-up messages did not all reach the sink");
        }
        var baseline = sink.Count();
        clock.Restart();
        var latencies = await SendAllAsync(sink.Port, o.Messages, o.Concurrency, body, "bench");
        var submitted = clock.Elapsed;
        var (reached, count) = sink.WaitFor(baseline + o.Messages, clock, o.Stall);
        var delivered = count - baseline;
        if (reached is null) return PostfixPeer.Failed(name, path, o, delivered, $"only {delivered} of {o.Messages} reached the sink (stalled)");
        return new PeerResult(name, path, o.Messages, delivered, reached.Value.TotalSeconds, o.Messages / reached.Value.TotalSeconds,
            submitted.TotalSeconds, o.Messages / submitted.TotalSeconds, Percentiles.Of(latencies),
            "per message: SendAsync start -> server's 250 after DATA (client clock)", null);
    }

    private static async Task<double[]> SendAllAsync(int port, int count, int connections, string body, string tag)
    {
        var latencies = new double[count];
        var next = -1;
        async Task Connection()
        {
            using var client = new SmtpClient { LocalDomain = "localhost", Timeout = 60_000 };
            await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var message = new MimeMessage();
                message.From.Add(MailboxAddress.Parse(Mail.From));
                message.To.Add(MailboxAddress.Parse(Mail.To));
                message.Subject = $"{tag} {i}";
                message.Body = new TextPart("plain") { Text = body };
                var t0 = Stopwatch.GetTimestamp();
                await client.SendAsync(message);
                latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
            await client.DisconnectAsync(true);
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Min(connections, count)).Select(_ => Task.Run(Connection)));
        return latencies;
    }
}

/// <summary>
/// The real Mailroom.Server as a child process: messages submitted over HTTP, stored in SQLite,
/// delivered by its delivery worker to smtp-sink.
/// </summary>
internal static class MailroomPeer
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<PeerResult> RunAsync(BenchOptions o)
    {
        const string name = "mailroom";
        var store = o.Storage == "postgresql" ? "PostgreSQL queue" : "SQLite queue";
        var nodes = o.Nodes > 1 ? $" on {o.Nodes} nodes (HTTP clients spread over them)" : "";
        var path = $"{o.SubmitConcurrency} HTTP clients -> POST /api/messages -> {store} -> delivery worker (Concurrency={o.Concurrency}){nodes} -> smtp-sink";
        const string latencyMeaning = "per message: client clock just before POST -> 'at' of the message's history entry with status 'sent' (GET /api/messages/{id}, server clock, same host)";
        if (!File.Exists(o.ServerDll))
            return PostfixPeer.Failed(name, path, o, 0, $"{o.ServerDll} not found: build it (dotnet build -c Release src/Mailroom.Server) or pass --server-dll");

        using var sink = new Sink(o.Repo, o.WorkDir);
        using var database = o.Storage == "postgresql" ? new PostgresServer(o.Repo, o.WorkDir) : null;
        var apiKey = MailroomServers.NewApiKey();
        var servers = new List<Process>();
        var clients = new List<HttpClient>();
        var logs = new List<string>();
        try
        {
            for (var node = 0; node < o.Nodes; node++)
            {
                // One node first: it migrates the schema and creates the administrator; the others join.
                var httpPort = Infra.FreePort();
                var dataDir = System.IO.Path.Combine(o.WorkDir, $"mailroom-data-{httpPort}");
                Directory.CreateDirectory(dataDir);
                var logPath = System.IO.Path.Combine(o.WorkDir, $"mailroom-server-{httpPort}.log");
                var server = MailroomServers.StartServer(o, httpPort, dataDir, apiKey, logPath, worker: true, database?.ConnectionString);
                servers.Add(server);
                logs.Add(logPath);
                var client = MailroomServers.NewHttp(httpPort, apiKey, Math.Max(1, o.SubmitConcurrency / o.Nodes + 1));
                clients.Add(client);
                await MailroomServers.WaitHealthyAsync(client, server);
            }
            var http = clients[0];
            await ConfigureAsync(http, sink.Port);
            var body = Mail.Body(o.BodyBytes);
            var clock = Stopwatch.StartNew();
            string? warmupProblem = null;
            if (o.Warmup > 0)
            {
                await SubmitAllAsync(clients, o.Warmup, o.SubmitConcurrency, body, "warm-up");
                if (sink.WaitFor(o.Warmup, clock, o.Stall).ReachedAt is null)
                {
                    // Carry on: the submit rate is still worth measuring; delivery is reported as not measured.
                    warmupProblem = $"warm-up: {sink.Count()} of {o.Warmup} reached the sink (statuses: {Describe(await StatusesAsync(http))}); is the delivery agent wired? ";
                    Console.WriteLine($"  {warmupProblem}");
                }
            }
            var baseline = sink.Count();
            clock.Restart();
            var submissions = await SubmitAllAsync(clients, o.Messages, o.SubmitConcurrency, body, "bench");
            var submitted = clock.Elapsed;
            var (reached, count) = sink.WaitFor(baseline + o.Messages, clock, o.Stall);
            var delivered = count - baseline;
            var (latencies, statuses) = await DeliveredLatenciesAsync(http, submissions, o.SubmitConcurrency);
            if (reached is null)
                return new PeerResult(name, path, o.Messages, delivered, null, null, submitted.TotalSeconds, o.Messages / submitted.TotalSeconds,
                    Percentiles.Of(latencies), latencyMeaning, $"{warmupProblem}only {delivered} of {o.Messages} reached the sink before it stalled for {o.Stall.TotalSeconds:0} s (server logs {string.Join(", ", logs)}, kept with --keep)", statuses);
            return new PeerResult(name, path, o.Messages, delivered, reached.Value.TotalSeconds, o.Messages / reached.Value.TotalSeconds,
                submitted.TotalSeconds, o.Messages / submitted.TotalSeconds, Percentiles.Of(latencies), latencyMeaning, null, statuses);
        }
        finally
        {
            foreach (var server in servers) Infra.Stop(server, TimeSpan.FromSeconds(15));
            foreach (var server in servers) server.Dispose();
            foreach (var client in clients) client.Dispose();
        }
    }

    private static async Task ConfigureAsync(HttpClient http, int sinkPort)
    {
        await PutAsync(http, "/api/settings/port-policy", new { additionalPorts = new[] { sinkPort } });
        await PutAsync(http, "/api/settings/global", new
        {
            host = "127.0.0.1", port = sinkPort, encryption = "none", authentication = "none",
            senderMode = "ownSmtp", fromAddress = Mail.From,
        });
    }

    /// <summary>
    /// The two halves apart, to see which one limits: (1) the server with its worker off
    /// (Mailroom:Delivery:WorkerEnabled=false) takes W + N submissions — submit rate with no delivery
    /// competing; (2) restarted on the same data with the worker on, it drains the queue — rate from
    /// the first to the last dump file at the sink. Not used in the ratios.
    /// </summary>
    public static async Task<IReadOnlyList<PeerResult>> RunSplitAsync(BenchOptions o)
    {
        const string submitName = "mailroom-submit-only";
        const string drainName = "mailroom-drain";
        const string submitPath = "as 'mailroom', worker off: HTTP -> SQLite only";
        const string drainPath = "restarted with the worker on: SQLite queue (W+N waiting) -> smtp-sink; rate = (count-1) / (first -> last dump)";
        if (!File.Exists(o.ServerDll))
            return [PostfixPeer.Failed(submitName, submitPath, o, 0, $"{o.ServerDll} not found")];
        using var sink = new Sink(o.Repo, o.WorkDir);
        var httpPort = Infra.FreePort();
        var dataDir = System.IO.Path.Combine(o.WorkDir, $"mailroom-data-{httpPort}");
        Directory.CreateDirectory(dataDir);
        var apiKey = MailroomServers.NewApiKey();
        var logPath = System.IO.Path.Combine(o.WorkDir, $"mailroom-server-{httpPort}.log");
        var body = Mail.Body(o.BodyBytes);
        var total = o.Warmup + o.Messages;
        PeerResult submitResult;
        using (var server = MailroomServers.StartServer(o, httpPort, dataDir, apiKey, logPath, worker: false))
        using (var http = MailroomServers.NewHttp(httpPort, apiKey, o.SubmitConcurrency))
        {
            try
            {
                await MailroomServers.WaitHealthyAsync(http, server);
                await ConfigureAsync(http, sink.Port);
                if (o.Warmup > 0) await SubmitAllAsync(http, o.Warmup, o.SubmitConcurrency, body, "warm-up");
                var clock = Stopwatch.StartNew();
                await SubmitAllAsync(http, o.Messages, o.SubmitConcurrency, body, "bench");
                var submitted = clock.Elapsed;
                await Task.Delay(1000);
                if (sink.Count() > 0)
                    return [PostfixPeer.Failed(submitName, submitPath, o, sink.Count(),
                        "the server delivered with Mailroom:Delivery:WorkerEnabled=false, so the halves cannot be measured apart")];
                submitResult = new PeerResult(submitName, submitPath, o.Messages, 0, null, null, submitted.TotalSeconds,
                    o.Messages / submitted.TotalSeconds, null, "not measured", null);
            }
            finally
            {
                Infra.Stop(server, TimeSpan.FromSeconds(15));
            }
        }

        using (var server = MailroomServers.StartServer(o, httpPort, dataDir, apiKey, logPath, worker: true))
        using (var http = MailroomServers.NewHttp(httpPort, apiKey, o.SubmitConcurrency))
        {
            try
            {
                var clock = Stopwatch.StartNew();
                // The first dump (the server needs its start-up first), then all of them.
                var first = sink.WaitFor(1, clock, o.Stall + TimeSpan.FromSeconds(30)).ReachedAt;
                var done = first is null ? null : sink.WaitFor(total, clock, o.Stall).ReachedAt;
                var statuses = await StatusesAsync(http);
                if (done is null || first is null || done.Value <= first.Value)
                    return [submitResult, PostfixPeer.Failed(drainName, drainPath, o, sink.Count(),
                        $"only {sink.Count()} of {total} reached the sink (stalled; statuses: {Describe(statuses)})")];
                var seconds = (done.Value - first.Value).TotalSeconds;
                return [submitResult, new PeerResult(drainName, drainPath, total, sink.Count(), seconds, (total - 1) / seconds,
                    null, null, null, "not measured", null, statuses)];
            }
            finally
            {
                Infra.Stop(server, TimeSpan.FromSeconds(15));
            }
        }
    }

    private sealed record Submission(string Id, DateTimeOffset SubmittedAt);

    private static async Task PutAsync(HttpClient http, string url, object body)
    {
        using var r = await http.PutAsJsonAsync(url, body, Json);
        if (!r.IsSuccessStatusCode)
            throw new InvalidOperationException($"PUT {url}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }

    private static Task<Submission[]> SubmitAllAsync(HttpClient http, int count, int parallel, string body, string tag) =>
        SubmitAllAsync([http], count, parallel, body, tag);

    /// <summary>Submitter k talks to node k mod nodes, so several nodes share the load evenly.</summary>
    private static async Task<Submission[]> SubmitAllAsync(IReadOnlyList<HttpClient> nodes, int count, int parallel, string body, string tag)
    {
        var results = new Submission[count];
        var next = -1;
        async Task Client(HttpClient http)
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var payload = new { to = new[] { Mail.To }, subject = $"{tag} {i}", text = body };
                var at = DateTimeOffset.UtcNow;
                using var r = await http.PostAsJsonAsync("/api/messages", payload, Json);
                if (r.StatusCode != HttpStatusCode.Accepted)
                    throw new InvalidOperationException($"POST /api/messages: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
                using var doc = JsonDocument.Parse(await r.Content.ReadAsStreamAsync());
                results[i] = new Submission(doc.RootElement.GetProperty("id").GetString()!, at);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Min(parallel, count)).Select(k => Task.Run(() => Client(nodes[k % nodes.Count]))));
        return results;
    }

    /// <summary>After the timed part: each message's history, its 'sent' entry against the client's submit time.</summary>
    private static async Task<(List<double> Latencies, Dictionary<string, int> Statuses)> DeliveredLatenciesAsync(HttpClient http, Submission[] submissions, int parallel)
    {
        var latencies = new List<double>(submissions.Length);
        var statuses = new Dictionary<string, int>();
        var gate = new object();
        await Parallel.ForEachAsync(submissions, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (s, ct) =>
        {
            using var r = await http.GetAsync($"/api/messages/{s.Id}", ct);
            if (!r.IsSuccessStatusCode) { lock (gate) Bump(statuses, $"http {(int)r.StatusCode}"); return; }
            using var doc = JsonDocument.Parse(await r.Content.ReadAsStreamAsync(ct));
            var status = doc.RootElement.GetProperty("status").GetString() ?? "?";
            double? latency = null;
            if (doc.RootElement.TryGetProperty("history", out var history) && history.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in history.EnumerateArray())
                {
                    if (entry.GetProperty("status").GetString() == "sent")
                    {
                        latency = (entry.GetProperty("at").GetDateTimeOffset() - s.SubmittedAt).TotalMilliseconds;
                        break;
                    }
                }
            }
            lock (gate)
            {
                Bump(statuses, status);
                if (latency is { } l) latencies.Add(l);
            }
        });
        return (latencies, statuses);
    }

    /// <summary>How many messages are in each status (GET /api/messages/stats), for diagnostics.</summary>
    private static async Task<Dictionary<string, int>?> StatusesAsync(HttpClient http)
    {
        try
        {
            using var r = await http.GetAsync("/api/messages/stats");
            if (!r.IsSuccessStatusCode) return null;
            var counts = await r.Content.ReadFromJsonAsync<Dictionary<string, int>>(Json);
            return counts?.Where(kv => kv.Value > 0).ToDictionary();
        }
        catch (Exception) { return null; }
    }

    private static string Describe(Dictionary<string, int>? statuses) =>
        statuses is null ? "unknown" : string.Join(", ", statuses.Select(kv => $"{kv.Key} {kv.Value}"));

    private static void Bump(Dictionary<string, int> d, string key) => d[key] = d.GetValueOrDefault(key) + 1;
}

/// <summary>A private PostgreSQL server (testbed/pg.sh) on a free port for the run, cleaned up by PID at the end.</summary>
internal sealed class PostgresServer : IDisposable
{
    private readonly string _script;
    private readonly Dictionary<string, string> _env;

    public PostgresServer(string repo, string workDir)
    {
        _script = System.IO.Path.Combine(repo, "testbed", "pg.sh");
        var dir = System.IO.Path.Combine(workDir, "pg");
        _env = new()
        {
            ["PGTB_DIR"] = dir,
            ["PGTB_PORT"] = Infra.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGTB_MAX_CONNECTIONS"] = "300",
            ["PGTB_OWNER_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        Infra.RunScript(_script, "start", _env, TimeSpan.FromSeconds(120));
        var line = File.ReadLines(System.IO.Path.Combine(dir, "env.sh")).First(l => l.StartsWith("export PGTB_CONNSTR=", StringComparison.Ordinal));
        ConnectionString = line["export PGTB_CONNSTR=".Length..].Trim('\'');
        Console.WriteLine($"  postgresql: {dir}, port {_env["PGTB_PORT"]}");
    }

    /// <summary>The Npgsql connection string of the run's database.</summary>
    public string ConnectionString { get; }

    public void Dispose()
    {
        try { Infra.RunScript(_script, "clean", _env, TimeSpan.FromSeconds(60)); }
        catch (Exception ex) { Console.Error.WriteLine($"postgresql clean: {ex.Message}"); }
    }
}
