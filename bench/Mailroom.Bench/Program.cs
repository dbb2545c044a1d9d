using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mailroom.Bench;

// End-to-end throughput benchmark: Postfix relay, bare MailKit and Mailroom, one after the other
// in one run, all to Postfix's smtp-sink on 127.0.0.1 (bench/README.md). Needs root for Postfix.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

const string usage = """
    usage: Mailroom.Bench [--messages N] [--rounds R] [--concurrency C] [--only postfix|mailkit|mailroom|mailroom-split|mailing]
                          [--submit-concurrency S] [--warmup W] [--body-bytes B] [--stall-seconds T]
                          [--storage sqlite|postgresql] [--nodes N]
                          [--server-dll PATH] [--repo PATH] [--output PATH] [--keep]
      --messages N            messages per peer, timed (default 2000)
      --rounds R              measure the Postfix relay, bare MailKit and Mailroom R times, taking turns
                              (postfix, mailkit, mailroom, postfix, ...); the ratios use each peer's median
                              (default 1). On a shared virtual machine one peer's rate moves by a third
                              between runs minutes apart; turns spread that over all peers.
      --concurrency C         SMTP connections: smtp-source sessions, MailKit clients, Mailroom's
                              Mailroom:Delivery:Concurrency (default 4)
      --submit-concurrency S  parallel HTTP clients submitting to Mailroom (default 8)
      --warmup W              untimed messages through each peer first (default 50)
      --body-bytes B          text body size, the same for every peer (default 1000)
      --stall-seconds T       give up on a peer when the sink count has not moved for T s (default 30)
      --storage S             Mailroom's storage: sqlite (default; one node) or postgresql (a private
                              server started by testbed/pg.sh for the run)
      --nodes N               Mailroom server processes on one PostgreSQL queue (default 1; N > 1
                              needs --storage postgresql; the split is then skipped)
      --no-split              skip 'mailroom-split' (submit with the worker off, then drain; not in the ratios)
      --output PATH           JSON results (default bench/results/latest.json)
      --recipients R          'mailing' scenario (only with --only mailing): recipients in the mailing (default 100000);
                              the Postfix relay peer runs first with --messages in the same run
      --window-seconds T      'mailing': delivery is measured over T s after enqueue, then the rest is cancelled (default 60)
    """;

var a = new Dictionary<string, string>(StringComparer.Ordinal);
var keep = false;
var noSplit = false;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] is "-h" or "--help") { Console.WriteLine(usage); return 0; }
    if (args[i] == "--keep") { keep = true; continue; }
    if (args[i] == "--no-split") { noSplit = true; continue; }
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length) { Console.Error.WriteLine(usage); return 2; }
    a[args[i][2..]] = args[++i];
}
int Int(string key, int fallback, int min)
{
    if (!a.TryGetValue(key, out var s)) return fallback;
    if (!int.TryParse(s, out var v) || v < min) throw new ArgumentException($"--{key} must be an integer >= {min}");
    return v;
}

var repo = a.GetValueOrDefault("repo") is { } r ? Path.GetFullPath(r) : Infra.RepoRoot();
var only = a.GetValueOrDefault("only");
if (only is not (null or "postfix" or "mailkit" or "mailroom" or "mailroom-split" or "mailing")) { Console.Error.WriteLine(usage); return 2; }
var storage = a.GetValueOrDefault("storage") ?? "sqlite";
if (storage is not ("sqlite" or "postgresql")) { Console.Error.WriteLine("--storage must be sqlite or postgresql\n" + usage); return 2; }
var nodeCount = Int("nodes", 1, 1);
if (nodeCount > 1 && storage != "postgresql") { Console.Error.WriteLine("--nodes > 1 needs --storage postgresql (SQLite serves one node)"); return 2; }
if (nodeCount > 1 || storage != "sqlite") noSplit = true; // the split measures the SQLite server alone
var workDir = Path.Combine("/tmp", $"mailroom-bench.{Environment.ProcessId}");
Directory.CreateDirectory(workDir);
// Postfix and smtp-sink drop privileges: the folder must be traversable by them (like testbed/).
if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(workDir, (UnixFileMode)0b111_101_101);
var rounds = Int("rounds", 1, 1);
var o = new BenchOptions(
    Messages: Int("messages", 2000, 1),
    Concurrency: Int("concurrency", 4, 1),
    SubmitConcurrency: Int("submit-concurrency", 8, 1),
    Warmup: Int("warmup", 50, 0),
    BodyBytes: Int("body-bytes", 1000, 10),
    Repo: repo,
    WorkDir: workDir,
    ServerDll: a.GetValueOrDefault("server-dll") is { } dll ? Path.GetFullPath(dll)
        : Path.Combine(repo, "src", "Mailroom.Server", "bin", "Release", "net10.0", "Mailroom.Server.dll"),
    Stall: TimeSpan.FromSeconds(Int("stall-seconds", 30, 1)),
    Only: only,
    Storage: storage,
    Nodes: nodeCount);
var output = a.GetValueOrDefault("output") is { } outPath ? Path.GetFullPath(outPath) : Path.Combine(repo, "bench", "results", "latest.json");

Console.WriteLine($"Mailroom.Bench: {o.Messages} messages per peer (+{o.Warmup} warm-up){(rounds > 1 ? $" x {rounds} rounds" : "")}, {o.Concurrency} SMTP connections, " +
                  $"{o.SubmitConcurrency} HTTP submitters, {o.BodyBytes}-byte body, {Environment.ProcessorCount} cores, " +
                  $"Mailroom on {o.Storage} x{o.Nodes} node(s); work dir {workDir}");

var results = new List<PeerResult>();
var started = DateTimeOffset.UtcNow;
async Task Measure(string key, Func<Task<IReadOnlyList<PeerResult>>> run, int round = 1)
{
    if (o.Only is not null && o.Only != key) return;
    Console.WriteLine(rounds > 1 && round > 0 ? $"- {key} (round {round} of {rounds}) …" : $"- {key} …");
    IReadOnlyList<PeerResult> measured;
    var sw = Stopwatch.StartNew();
    try { measured = await run(); }
    catch (Exception ex) { measured = [PostfixPeer.Failed(key, "", o, 0, ex.Message)]; }
    foreach (var result in measured)
    {
        Console.WriteLine(result.Error is null
            ? $"  {result.Name}: done in {sw.Elapsed.TotalSeconds:0.0} s: {F(result.EndToEndPerSecond)} msgs/s end-to-end, {F(result.SubmitPerSecond)} submitted/s"
            : $"  {result.Name}: FAILED after {sw.Elapsed.TotalSeconds:0.0} s: {result.Error}");
        results.Add(result with { Round = round });
    }
}

try
{
    if (o.Only == "mailing")
    {
        // Postfix relaying the same kind of load in the same run, then the mailing (bench/README.md).
        Console.WriteLine("- postfix (beside the mailing) …");
        results.Add(PostfixPeer.Run(o));
        Console.WriteLine($"  postfix-relay: {F(results[^1].EndToEndPerSecond)} msgs/s {results[^1].Error}");
    }
    if (o.Only == "mailing") await Measure("mailing", async () => [await MailingPeer.RunAsync(o, Int("recipients", 100_000, 1), TimeSpan.FromSeconds(Int("window-seconds", 60, 1)))]);
    for (var round = 1; round <= rounds; round++)
    {
        await Measure("postfix", () => Task.FromResult<IReadOnlyList<PeerResult>>([PostfixPeer.Run(o)]), round);
        await Measure("mailkit", async () => [await MailKitPeer.RunAsync(o)], round);
        await Measure("mailroom", async () => [await MailroomPeer.RunAsync(o)], round);
    }
    if (!noSplit) await Measure("mailroom-split", () => MailroomPeer.RunSplitAsync(o));
}
finally
{
    if (!keep)
    {
        for (var i = 0; i < 30; i++)
        {
            try { Directory.Delete(workDir, recursive: true); break; }
            catch (Exception) when (i < 29) { Thread.Sleep(100); }
            catch (Exception ex) { Console.Error.WriteLine($"could not delete {workDir}: {ex.Message}"); }
        }
    }
}

// ---- table and ratios ----
static string F(double? v, string format = "0.0") => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "—";
Console.WriteLine();
string Label(PeerResult x) => rounds > 1 && x.Name is "postfix-relay" or "bare-mailkit" or "mailroom" ? $"{x.Name} #{x.Round}" : x.Name;
Console.WriteLine($"{"peer",-21} {"delivered",10} {"end-to-end/s",13} {"submit/s",10} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8}");
foreach (var x in results)
    Console.WriteLine($"{Label(x),-21} {x.Delivered,5}/{x.Messages,-4} {F(x.EndToEndPerSecond),13} {F(x.SubmitPerSecond),10} {F(x.Latency?.P50),8} {F(x.Latency?.P95),8} {F(x.Latency?.P99),8}");

// A peer's rate: the median of its rounds that delivered everything (one round: that round's figure).
double? Rate(string name)
{
    var rates = results.Where(x => x.Name == name && x.Error is null && x.EndToEndPerSecond is not null)
        .Select(x => x.EndToEndPerSecond!.Value).Order().ToArray();
    if (rates.Length == 0) return null;
    return rates.Length % 2 == 1 ? rates[rates.Length / 2] : (rates[rates.Length / 2 - 1] + rates[rates.Length / 2]) / 2;
}
var medians = rounds > 1
    ? new[] { "postfix-relay", "bare-mailkit", "mailroom" }.Where(n => Rate(n) is not null).ToDictionary(n => n, n => Rate(n)!.Value)
    : null;
if (medians is not null)
{
    Console.WriteLine();
    foreach (var (name, rate) in medians)
    {
        var all = results.Where(x => x.Name == name && x.EndToEndPerSecond is not null).Select(x => F(x.EndToEndPerSecond));
        Console.WriteLine($"{name + " median",-32} {F(rate),13}   (rounds: {string.Join(", ", all)})");
    }
}
double? Ratio(double? top, double? bottom) => top is { } t && bottom is { } b && b > 0 ? t / b : null;
var mailroom = Rate("mailroom");
var ratios = new Ratios(
    MailroomOverPostfix: Ratio(mailroom, Rate("postfix-relay")),
    MailroomOverMailKit: Ratio(mailroom, Rate("bare-mailkit")),
    TargetOverPostfix: 8.0,
    TargetOverMailKit: 0.60);
Console.WriteLine();
Console.WriteLine($"Mailroom end-to-end / Postfix relay: {F(ratios.MailroomOverPostfix, "0.00")}x (target >= 8x: {Met(ratios.MailroomOverPostfix, 8.0)})");
Console.WriteLine($"Mailroom end-to-end / bare MailKit:  {F(ratios.MailroomOverMailKit * 100, "0")} % (target >= 60 %: {Met(ratios.MailroomOverMailKit, 0.60)})");
static string Met(double? v, double target) => v is null ? "not measured" : v >= target ? "met" : "NOT met";

var report = new Report(
    StartedAt: started,
    // bench/run.sh passes what it was called with (it adds --server-dll itself)
    Command: Environment.GetEnvironmentVariable("BENCH_COMMAND") ?? ("dotnet Mailroom.Bench.dll" + (args.Length > 0 ? " " + string.Join(' ', args) : "")),
    Machine: Machine.Describe(repo),
    Settings: new { o.Messages, Rounds = rounds, o.Concurrency, o.SubmitConcurrency, o.Warmup, o.BodyBytes, StallSeconds = o.Stall.TotalSeconds, o.Only, o.Storage, o.Nodes },
    Peers: results,
    Medians: medians,
    Ratios: ratios with { OverPostfixMet = Met(ratios.MailroomOverPostfix, 8.0), OverMailKitMet = Met(ratios.MailroomOverMailKit, 0.60) });
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web)
{
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
}) + "\n");
var md = new System.Text.StringBuilder();
md.AppendLine($"Run {started:yyyy-MM-dd HH:mm} UTC, `{report.Command}`, {Environment.ProcessorCount} cores, commit {report.Machine.Commit}; " +
              $"{o.Messages} messages per peer (+{o.Warmup} warm-up){(rounds > 1 ? $", {rounds} rounds taking turns (ratios from each peer's median)" : "")}, {o.Concurrency} SMTP connections, {o.SubmitConcurrency} HTTP submitters, {o.BodyBytes}-byte body, Mailroom on {o.Storage} x{o.Nodes}.");
md.AppendLine();
md.AppendLine("| peer | delivered | end-to-end msgs/s | submit msgs/s | p50 ms | p95 ms | p99 ms |");
md.AppendLine("|---|---|---|---|---|---|---|");
foreach (var x in results)
    md.AppendLine($"| {Label(x)} | {x.Delivered}/{x.Messages} | {F(x.EndToEndPerSecond)} | {F(x.SubmitPerSecond)} | {F(x.Latency?.P50)} | {F(x.Latency?.P95)} | {F(x.Latency?.P99)} |");
if (medians is not null)
    foreach (var (name, rate) in medians)
        md.AppendLine($"| **{name}, median of {rounds}** | | **{F(rate)}** | | | | |");
md.AppendLine();
md.AppendLine($"* Mailroom end-to-end / Postfix relay: **{F(ratios.MailroomOverPostfix, "0.00")}×** (target ≥ 8×: {Met(ratios.MailroomOverPostfix, 8.0)})");
md.AppendLine($"* Mailroom end-to-end / bare MailKit: **{F(ratios.MailroomOverMailKit * 100, "0")} %** (target ≥ 60 %: {Met(ratios.MailroomOverMailKit, 0.60)})");
foreach (var x in results.Where(x => x.Error is not null))
    md.AppendLine($"* {x.Name} failed: {x.Error}");
await File.WriteAllTextAsync(Path.ChangeExtension(output, ".md"), md.ToString());
Console.WriteLine($"\nresults: {output} (and {Path.ChangeExtension(output, ".md")})");
return results.Any(x => x.Error is not null) ? 1 : 0;

internal sealed record Ratios(double? MailroomOverPostfix, double? MailroomOverMailKit, double TargetOverPostfix, double TargetOverMailKit,
    string? OverPostfixMet = null, string? OverMailKitMet = null);

internal sealed record Report(DateTimeOffset StartedAt, string Command, MachineInfo Machine, object Settings, IReadOnlyList<PeerResult> Peers,
    IReadOnlyDictionary<string, double>? Medians, Ratios Ratios);

internal sealed record MachineInfo(int Cores, string? Cpu, string Os, string Dotnet, string? Postfix, string? Commit);

internal static class Machine
{
    public static MachineInfo Describe(string repo) => new(
        Cores: Environment.ProcessorCount,
        Cpu: File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null,
        Os: RuntimeInformation.OSDescription,
        Dotnet: RuntimeInformation.FrameworkDescription,
        Postfix: Try("postconf", "-h", "-d", "mail_version"),
        Commit: Try("git", "-C", repo, "rev-parse", "--short", "HEAD"));

    private static string? Try(string file, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var x in args) psi.ArgumentList.Add(x);
            using var p = Process.Start(psi)!;
            var s = p.StandardOutput.ReadToEnd().Trim();
            return p.WaitForExit(5000) && p.ExitCode == 0 ? s : null;
        }
        catch (Exception) { return null; }
    }
}
