using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Mailroom.Testing;

// Soak run (bench/README.md): a real Mailroom server process under steady submission load for
// --minutes, delivering to a scripted SMTP server on 127.0.0.1 that is restarted and answers 4xx
// in bursts on a schedule; every 30 s the server's memory is sampled. At the end the queue is
// drained and every submitted message is reconciled: sent (and seen by the SMTP server), failed
// with a reason, or — the failure this run exists to catch — lost. Exit code 0 only when none is lost.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

const string usage = """
    usage: Mailroom.Soak --server-dll PATH [--minutes M] [--rate R] [--reject-every K] [--restart-every S]
                         [--burst-every S] [--burst-seconds S] [--drain-minutes D] [--output PATH]
      --minutes M        load duration (default 15)
      --rate R           messages submitted per second (default 5)
      --reject-every K   every K-th message goes to a recipient the server refuses with 550 (default 20)
      --restart-every S  stop the SMTP server for 10 s every S seconds (default 120)
      --burst-every S    answer every new connection with 421 for --burst-seconds, every S seconds (default 120, offset by half)
      --burst-seconds S  length of a 4xx burst (default 20)
      --drain-minutes D  after the load, how long to wait for the queue to empty (default 5)
      --output PATH      JSON results (default bench/results/soak-latest.json)
    """;

var a = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    if (args[i] is "-h" or "--help") { Console.WriteLine(usage); return 0; }
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length) { Console.Error.WriteLine(usage); return 2; }
    a[args[i][2..]] = args[++i];
}
double Num(string key, double fallback) => a.TryGetValue(key, out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : fallback;
if (!a.TryGetValue("server-dll", out var serverDll) || !File.Exists(serverDll)) { Console.Error.WriteLine(usage); return 2; }
var minutes = Num("minutes", 15);
var rate = Num("rate", 5);
var rejectEvery = (int)Num("reject-every", 20);
var restartEvery = TimeSpan.FromSeconds(Num("restart-every", 120));
var burstEvery = TimeSpan.FromSeconds(Num("burst-every", 120));
var burstLength = TimeSpan.FromSeconds(Num("burst-seconds", 20));
var drainLimit = TimeSpan.FromMinutes(Num("drain-minutes", 5));
var output = a.GetValueOrDefault("output") ?? Path.Combine(RepoRoot(), "bench", "results", "soak-latest.json");

var dataDir = Directory.CreateTempSubdirectory("mailroom-soak-").FullName;
var apiKey = "soak-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
var smtpPort = LoopbackPorts.Free();
var script = new SmtpScript();
var smtpGate = new SemaphoreSlim(1, 1);
var retired = new List<ScriptedSmtpMessage>();
var smtp = new ScriptedSmtpServer(script, smtpPort);
var faults = new List<string>();
var started = Stopwatch.StartNew();
var loadClock = new Stopwatch(); // minutes of load: memory samples are placed on this clock
void Log(string line) { var text = $"[{started.Elapsed:hh\\:mm\\:ss}] {line}"; Console.WriteLine(text); }

var env = new Dictionary<string, string>
{
    ["ASPNETCORE_ENVIRONMENT"] = "Production",
    ["Mailroom__Bootstrap__AdminApiKey"] = apiKey,
    // Short retries so deferred mail comes back within the run; a long maximum age so nothing expires.
    ["Mailroom__Delivery__RetryDelays"] = "00:00:05, 00:00:15, 00:00:30",
    ["Mailroom__Delivery__MaximumAge"] = "1.00:00:00",
    ["Mailroom__Delivery__SmtpTimeout"] = "00:00:15",
};
// The tests' server process: started from the Release build's folder, waited for until healthy, stopped by PID.
await using var server = await MailroomServerProcess.StartAsync(dataDir, env, apiKey, Path.GetFullPath(serverDll), TimeSpan.FromSeconds(60));
var http = server.Http;
Log($"mailroom pid {server.ProcessId} on http://127.0.0.1:{server.Port}, scripted SMTP on 127.0.0.1:{smtpPort}, data {dataDir}");

var exit = 1;
var submitted = new ConcurrentDictionary<string, (int N, bool Reject)>();
var submitErrors = new ConcurrentQueue<string>();
var memory = new List<(double Minute, long RssKb)>();
try
{
    await PutAsync("/api/settings/port-policy", new { additionalPorts = new[] { smtpPort } });
    await PutAsync("/api/settings/global", new
    {
        host = "127.0.0.1", port = smtpPort, encryption = "none", authentication = "none", senderMode = "ownSmtp", fromAddress = "soak@mailroom.test",
    });

    using var load = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
    loadClock.Restart();
    var faultTask = InjectFaultsAsync(load.Token);
    var memoryTask = SampleMemoryAsync(load.Token);
    var interval = TimeSpan.FromSeconds(1 / rate);
    var next = Stopwatch.StartNew();
    var n = 0;
    var inFlight = new List<Task>();
    while (!load.IsCancellationRequested)
    {
        var number = ++n;
        var reject = rejectEvery > 0 && number % rejectEvery == 0;
        inFlight.Add(SubmitAsync(number, reject));
        inFlight.RemoveAll(t => t.IsCompleted);
        var due = interval * number - next.Elapsed;
        if (due > TimeSpan.Zero) { try { await Task.Delay(due, load.Token); } catch (OperationCanceledException) { } }
    }
    await Task.WhenAll(inFlight);
    await faultTask;
    await memoryTask;
    Log($"load over: {submitted.Count} accepted, {submitErrors.Count} submissions refused");

    // The SMTP server behaves from here on; wait for every message to reach a final state.
    script.GreetingReply = null;
    var drain = Stopwatch.StartNew();
    Dictionary<string, int> counts = [];
    while (drain.Elapsed < drainLimit)
    {
        counts = await CountsAsync();
        var open = counts.Where(c => c.Key is "queued" or "sending" or "deferred").Sum(c => c.Value);
        Log($"draining: {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))}");
        if (open == 0) break;
        await Task.Delay(TimeSpan.FromSeconds(10));
    }
    memory.Add((loadClock.Elapsed.TotalMinutes, Rss(server.ProcessId))); // after the drain

    // Reconcile message by message.
    var delivered = AllDelivered().Select(SubjectOf).Where(s => s is not null).GroupBy(s => s!).ToDictionary(g => g.Key, g => g.Count());
    var byStatus = new Dictionary<string, int>();
    var lost = new List<string>();
    var sentButNotSeen = new List<string>();
    var failedWithoutReason = new List<string>();
    var wrongOutcome = new List<string>();
    foreach (var (id, (number, reject)) in submitted)
    {
        var m = await GetJsonAsync($"/api/messages/{id}");
        var status = (string?)m?["status"] ?? "missing";
        byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
        var reason = (string?)m?["statusReason"];
        switch (status)
        {
            case "sent" when !delivered.ContainsKey($"soak-{number}"): sentButNotSeen.Add(id); break;
            case "sent" when reject: wrongOutcome.Add(id); break;
            case "failed" when string.IsNullOrWhiteSpace(reason): failedWithoutReason.Add(id); break;
            case "failed" when !reject: wrongOutcome.Add(id); break;
            case "sent" or "failed": break;
            default: lost.Add($"{id} ({status})"); break;
        }
    }
    var duplicates = delivered.Values.Sum(c => c - 1);
    // Warm-up (JIT, pools, caches) is the first minute; "flat" compares minutes 1–5 of load with the last 5.
    var firstWindow = memory.Where(s => s.Minute >= Math.Min(1, minutes / 3) && s.Minute <= Math.Min(5, minutes / 2)).Select(s => s.RssKb).DefaultIfEmpty(0).Average();
    var lastWindow = memory.Where(s => s.Minute >= Math.Max(minutes - 5, minutes / 2) && s.Minute <= minutes + 0.1).Select(s => s.RssKb).DefaultIfEmpty(0).Average();
    var ok = !faults.Any(f => f.Contains("BROKE", StringComparison.Ordinal)) && lost.Count == 0 && sentButNotSeen.Count == 0 && failedWithoutReason.Count == 0 && wrongOutcome.Count == 0 && !server.HasExited;
    var result = new JsonObject
    {
        ["command"] = Environment.GetEnvironmentVariable("SOAK_COMMAND") ?? "bench/soak.sh",
        ["startedUtc"] = DateTimeOffset.UtcNow.AddMilliseconds(-started.ElapsedMilliseconds).ToString("u"),
        ["minutes"] = minutes,
        ["ratePerSecond"] = rate,
        ["submitted"] = submitted.Count,
        ["submissionsRefused"] = submitErrors.Count,
        ["byStatus"] = JsonSerializer.SerializeToNode(byStatus),
        ["smtpServerReceived"] = delivered.Values.Sum(),
        ["duplicatesAtServer"] = duplicates,
        ["lost"] = JsonSerializer.SerializeToNode(lost),
        ["sentButNotSeenByServer"] = sentButNotSeen.Count,
        ["failedWithoutReason"] = failedWithoutReason.Count,
        ["wrongOutcome"] = wrongOutcome.Count,
        ["faults"] = JsonSerializer.SerializeToNode(faults),
        ["rssKbSamples"] = JsonSerializer.SerializeToNode(memory.Select(s => new[] { Math.Round(s.Minute, 1), s.RssKb }).ToArray()),
        ["rssKbMinutes1to5Avg"] = Math.Round(firstWindow),
        ["rssKbLast5MinutesAvg"] = Math.Round(lastWindow),
        ["rssGrowthPercent"] = firstWindow > 0 ? Math.Round(100 * (lastWindow - firstWindow) / firstWindow, 1) : null,
        ["drainSeconds"] = Math.Round(drain.Elapsed.TotalSeconds),
        ["reconciled"] = ok,
    };
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    await File.WriteAllTextAsync(output, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    Log(ok ? "RECONCILED: every submitted message is sent or failed with a reason; none lost." : "NOT RECONCILED: see lost / sentButNotSeenByServer / failedWithoutReason / wrongOutcome.");
    exit = ok ? 0 : 1;
}
catch (Exception error)
{
    Log($"soak aborted: {error}");
    foreach (var line in server.Output.TakeLast(40)) Console.Error.WriteLine("  server: " + line);
}
finally
{
    await server.StopAsync(TimeSpan.FromSeconds(15));
    await smtp.DisposeAsync();
    try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
}
return exit;

async Task SubmitAsync(int number, bool reject)
{
    var to = reject ? $"soak-reject-{number}@mailroom.test" : $"soak-{number}@mailroom.test";
    if (reject) script.RecipientReplies[to] = "550 5.1.1 No such user (soak)";
    try
    {
        var response = await http.PostAsJsonAsync("/api/messages", new { to = new[] { to }, subject = $"soak-{number}", text = $"Soak message {number}.\r\n" + new string('x', 800) });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted) { submitErrors.Enqueue($"{(int)response.StatusCode} {body}"); return; }
        var id = (string)JsonNode.Parse(body)!["id"]!;
        submitted[id] = (number, reject);
    }
    catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
    {
        submitErrors.Enqueue(error.Message);
    }
}

async Task InjectFaultsAsync(CancellationToken token)
{
    var nextRestart = restartEvery;
    var nextBurst = burstEvery / 2;
    try
    {
        while (!token.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), token);
            if (started.Elapsed >= nextRestart)
            {
                nextRestart += restartEvery;
                faults.Add($"{started.Elapsed:hh\\:mm\\:ss} SMTP server stopped for 10 s");
                Log("fault: SMTP server stops (10 s)");
                await smtpGate.WaitAsync(token);
                try
                {
                    lock (retired) retired.AddRange(smtp.Messages);
                    await smtp.DisposeAsync();
                    await Task.Delay(TimeSpan.FromSeconds(10), token);
                    smtp = new ScriptedSmtpServer(script, smtpPort);
                }
                finally { smtpGate.Release(); }
                Log("fault over: SMTP server back");
            }
            if (started.Elapsed >= nextBurst)
            {
                nextBurst += burstEvery;
                faults.Add($"{started.Elapsed:hh\\:mm\\:ss} 421 on every connection for {burstLength.TotalSeconds:0} s");
                Log($"fault: 421 burst ({burstLength.TotalSeconds:0} s)");
                script.GreetingReply = "421 4.3.2 Soak burst, try later";
                smtp.DropAllConnections(); // open sessions would otherwise carry on past the burst
                await Task.Delay(burstLength, token);
                script.GreetingReply = null;
                Log("fault over: 421 burst");
            }
        }
    }
    catch (OperationCanceledException) { }
    catch (Exception error)
    {
        // A broken fault injector must not pass for a quiet run: recorded, and the run is marked.
        faults.Add($"{started.Elapsed:hh\\:mm\\:ss} FAULT INJECTION BROKE: {error.GetType().Name}: {error.Message}");
        Log($"fault injection broke: {error}");
    }
    finally { script.GreetingReply = null; }
}

async Task SampleMemoryAsync(CancellationToken token)
{
    try
    {
        while (!token.IsCancellationRequested)
        {
            lock (memory) memory.Add((loadClock.Elapsed.TotalMinutes, Rss(server.ProcessId)));
            await Task.Delay(TimeSpan.FromSeconds(30), token);
        }
    }
    catch (OperationCanceledException) { }
}

IEnumerable<ScriptedSmtpMessage> AllDelivered()
{
    lock (retired) return retired.Concat(smtp.Messages).ToArray();
}

static string? SubjectOf(ScriptedSmtpMessage m) =>
    Regex.Match(m.Data, @"^Subject: (?<s>[^\r\n]*)", RegexOptions.Multiline) is { Success: true } match ? match.Groups["s"].Value.Trim() : null;

static long Rss(int pid)
{
    try
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
    catch (IOException) { return -1; }
}

async Task<Dictionary<string, int>> CountsAsync()
{
    var stats = await GetJsonAsync("/api/messages/stats");
    var counts = new Dictionary<string, int>();
    var node = stats?["byStatus"] as JsonObject ?? stats as JsonObject;
    if (node is not null)
        foreach (var (k, v) in node)
            if (v is JsonValue value && value.TryGetValue<int>(out var count)) counts[k] = count;
    return counts;
}

async Task<JsonNode?> GetJsonAsync(string url)
{
    var response = await http.GetAsync(url);
    return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
}

async Task PutAsync(string url, object body)
{
    var response = await http.PutAsJsonAsync(url, body);
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"PUT {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
}

static string RepoRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "Mailroom.slnx"))) return d.FullName;
    return Environment.CurrentDirectory;
}
