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
    public static async Task<CliResult> RunDllAsync(string dll, IReadOnlyDictionary<string, string?> environment, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, dll), .. args])
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{dll} {string.Join(' ', args)} did not finish in 120 s:\n{await error}");
        }
        return new CliResult(process.ExitCode, await output, await error);
    }
}
