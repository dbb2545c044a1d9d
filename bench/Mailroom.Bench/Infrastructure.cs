using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.Bench;

/// <summary>Free loopback ports, shell scripts and child processes — everything stopped by PID.</summary>
internal static class Infra
{
    /// <summary>A port the OS just handed out on 127.0.0.1 (free at that moment).</summary>
    public static int FreePort() => Mailroom.Testing.LoopbackPorts.Free();

    /// <summary>Runs <c>bash script arg</c> with extra environment, bounded in time; throws on failure.</summary>
    public static string RunScript(string script, string arg, IReadOnlyDictionary<string, string> env, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(arg);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill();
            throw new InvalidOperationException($"{script} {arg} did not finish within {timeout.TotalSeconds:0} s");
        }
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{script} {arg} failed ({p.ExitCode}): {stderr.Result}{stdout.Result}");
        return stdout.Result;
    }

    /// <summary>Sends SIGTERM to one PID (ours), waits, then SIGKILL.</summary>
    public static void Stop(Process p, TimeSpan grace)
    {
        if (p.HasExited) return;
        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", p.Id.ToString()]) { UseShellExecute = false })!;
            kill.WaitForExit();
        }
        catch (Exception) { /* fall through to Kill */ }
        if (!p.WaitForExit(grace)) { p.Kill(); p.WaitForExit(); }
    }

    /// <summary>Starts a child process, its output appended to a log file.</summary>
    public static Process StartLogged(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> env, string logPath, string workingDirectory)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var log = new StreamWriter(logPath, append: true, Encoding.UTF8) { AutoFlush = true };
        var p = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var gate = new object();
        void Write(string? line) { if (line is null) return; lock (gate) log.WriteLine(line); }
        p.OutputDataReceived += (_, e) => Write(e.Data);
        p.ErrorDataReceived += (_, e) => Write(e.Data);
        p.Exited += (_, _) => { Thread.Sleep(200); lock (gate) log.Dispose(); };
        p.Start();
        p.StandardInput.Close();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>The repository root: the first folder upwards holding Mailroom.slnx.</summary>
    public static string RepoRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Mailroom.slnx"))) return d.FullName;
        }
        throw new InvalidOperationException("Mailroom.slnx not found above the current or the program folder; pass --repo");
    }
}

/// <summary>
/// One smtp-sink (testbed/smtp-sink.sh) with dumps on: a message counts as delivered when its
/// dump file exists in the sink's mail folder. The files are counted as they appear (inotify,
/// through a FileSystemWatcher) rather than by listing the folder: a listing costs time in
/// proportion to the files already there, and taken every 10 ms it had the harness spend about
/// 9 % of the machine while the slower peer ran, CPU taken from the peer being measured. A
/// listing still confirms every result, and takes over if the watcher reports lost events.
/// </summary>
internal sealed class Sink : IDisposable
{
    private readonly string _script;
    private readonly Dictionary<string, string> _env;
    private readonly FileSystemWatcher _watcher;
    private readonly ManualResetEventSlim _reached = new();
    private int _created;
    private int _waitingFor = int.MaxValue;
    private volatile bool _eventsLost;
    public int Port { get; }
    public string Dir { get; }
    public string MailDir => Path.Combine(Dir, "mail");

    public Sink(string repo, string workDir)
    {
        _script = Path.Combine(repo, "testbed", "smtp-sink.sh");
        Port = Infra.FreePort();
        Dir = Path.Combine(workDir, $"sink-{Port}");
        _env = new() { ["SINK_DIR"] = Dir, ["SINK_PORT"] = Port.ToString(), ["SINK_DUMP"] = "1" };
        Infra.RunScript(_script, "start", _env, TimeSpan.FromSeconds(30));
        // The folder is new and empty here: every dump file from now on is one Created event.
        _watcher = new FileSystemWatcher(MailDir) { NotifyFilter = NotifyFilters.FileName, InternalBufferSize = 64 * 1024 };
        _watcher.Created += (_, _) =>
        {
            if (Interlocked.Increment(ref _created) >= Volatile.Read(ref _waitingFor)) _reached.Set();
        };
        _watcher.Error += (_, _) => { _eventsLost = true; _reached.Set(); };
        _watcher.EnableRaisingEvents = true;
        if (Count() > 0) _eventsLost = true; // files before the watcher: its count would be short
    }

    /// <summary>The dump files in the folder, by listing it (exact, costs time per file).</summary>
    public int Count() => Directory.Exists(MailDir) ? Directory.EnumerateFiles(MailDir).Count() : 0;

    /// <summary>The dump files seen so far: the watcher's count, or a listing once it lost events.</summary>
    public int Observed() => _eventsLost ? Count() : Volatile.Read(ref _created);

    /// <summary>
    /// Waits until <paramref name="target"/> dumps exist; gives up when the count has not moved for
    /// <paramref name="stall"/>. Returns the elapsed time at the moment the target was seen (or
    /// null) and the count, confirmed by a listing.
    /// </summary>
    public (TimeSpan? ReachedAt, int Count) WaitFor(int target, Stopwatch clock, TimeSpan stall)
    {
        var last = -1;
        var lastMove = clock.Elapsed;
        Volatile.Write(ref _waitingFor, target);
        _reached.Reset();
        try
        {
            while (true)
            {
                var woken = !_eventsLost && Volatile.Read(ref _created) < target ? _reached.Wait(200) : true;
                var at = clock.Elapsed;
                var n = Observed();
                if (woken && n >= target)
                {
                    // The watcher's count is confirmed by one listing; a shortfall (it should not
                    // happen) turns counting over to listings.
                    var listed = Count();
                    if (listed >= target) return (at, listed);
                    _eventsLost = true;
                    n = listed;
                }
                if (n != last) { last = n; lastMove = at; }
                else if (at - lastMove > stall) return (null, Count());
                if (_eventsLost) Thread.Sleep(10);
            }
        }
        finally
        {
            Volatile.Write(ref _waitingFor, int.MaxValue);
        }
    }

    public void Dispose()
    {
        _watcher.Dispose();
        try { Infra.RunScript(_script, "clean", _env, TimeSpan.FromSeconds(30)); }
        catch (Exception ex) { Console.Error.WriteLine($"sink clean: {ex.Message}"); }
    }
}
