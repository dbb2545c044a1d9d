using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Mailroom.Cli.Tests;

/// <summary>What one run of the CLI printed and exited with.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>Standard output parsed as JSON (--json).</summary>
    public JsonNode Json => JsonNode.Parse(Out) ?? throw new InvalidOperationException("No JSON on stdout. stderr: " + Error);

    public override string ToString() => $"exit {ExitCode}\nstdout: {Out}\nstderr: {Error}";
}

/// <summary>Runs the built CLI (<c>dotnet Mailroom.Cli.dll …</c>) as a process, as a script would; ended by PID when it hangs.</summary>
public static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "Mailroom.Cli.dll");

    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> environment, string? stdin, params string[] args) =>
        RunDllAsync(Dll, environment, stdin, args);

    /// <summary>Runs <c>dotnet <paramref name="dll"/> <paramref name="args"/></c> from this test's output folder.</summary>
    public static Task<CliResult> RunDllAsync(string dll, IReadOnlyDictionary<string, string?> environment, string? stdin, params string[] args) =>
        RunProgramAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, dll), .. args], environment, stdin, TimeSpan.FromSeconds(120));

    /// <summary>Runs any program (the installed tool, <c>dotnet pack</c>) the same way, ended by PID after <paramref name="timeout"/>.</summary>
    public static async Task<CliResult> RunProgramAsync(string program, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment, string? stdin, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        // Nothing inherited decides the outcome: only what the test gives.
        start.Environment.Remove("MAILROOM_SERVER");
        start.Environment.Remove("MAILROOM_API_KEY");
        start.Environment.Remove("MAILROOM_LANG");
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in {timeout.TotalSeconds:0} s:\n{await error}");
        }
        return new CliResult(process.ExitCode, await output, await error);
    }
}

/// <summary>A CLI process still running (events tail --follow, oauth login): its stdout is read line by line while it runs.</summary>
public sealed class RunningCli : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _error;

    private RunningCli(Process process)
    {
        _process = process;
        _error = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Starts <c>dotnet Mailroom.Cli.dll <paramref name="args"/></c> against <paramref name="server"/> with <paramref name="apiKey"/>.</summary>
    public static RunningCli Start(string server, string apiKey, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [CliProcess.Dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.Environment.Remove("MAILROOM_LANG");
        start.Environment["MAILROOM_SERVER"] = server;
        start.Environment["MAILROOM_API_KEY"] = apiKey;
        return new RunningCli(Process.Start(start)!);
    }

    /// <summary>The next line of stdout (null at its end); bounded by <paramref name="seconds"/>.</summary>
    public async Task<string?> ReadLineAsync(int seconds = 60)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            return await _process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No line from the CLI in {seconds} s.");
        }
    }

    /// <summary>Ctrl+C: SIGINT to this process, by its PID.</summary>
    public async Task InterruptAsync()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString()]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits (bounded) for the exit; returns the exit code and the rest of the output.</summary>
    public async Task<CliResult> WaitAsync(int seconds = 60)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var rest = _process.StandardOutput.ReadToEndAsync();
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The CLI did not exit in {seconds} s:\n{await _error}");
        }
        return new CliResult(_process.ExitCode, await rest, await _error);
    }

    /// <summary>Ends the process (by PID) if a failed test left it running.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
