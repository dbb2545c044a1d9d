using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Mailroom.Testing;

/// <summary>
/// The built server run as an operator runs it: a separate process configured by environment
/// variables, reached over HTTP on a free loopback port, ended by PID (SIGKILL when a test wants a crash).
/// </summary>
public sealed class MailroomServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private MailroomServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    public IReadOnlyCollection<string> Output => _output;

    /// <summary>Starts the server with <paramref name="environment"/> and waits until /api/health answers.</summary>
    public static async Task<MailroomServerProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment, string? apiKey = null)
    {
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Mailroom.Server.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = dataDirectory,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Mailroom__DataDirectory"] = dataDirectory;
        // The test bed listens on 127.0.0.1: opted out of the SSRF rule explicitly (a caller may set it back).
        start.Environment["Mailroom__Security__BlockPrivateNetworksForUserProfiles"] = "false";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var server = new MailroomServerProcess(Process.Start(start)!, port);
        server._process.OutputDataReceived += (_, e) => { if (e.Data is not null) server._output.Enqueue(e.Data); };
        server._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) server._output.Enqueue(e.Data); };
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        if (apiKey is not null) server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        try
        {
            await server.WaitForHealthAsync();
        }
        catch
        {
            await server.DisposeAsync(); // a server that never became healthy must not outlive the test
            throw;
        }
        return server;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    private async Task WaitForHealthAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(120); // a shared, loaded machine can take half a minute to start it
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                // Without a timeout, WaitForExit also waits for the redirected output to be read to its end,
                // so the message holds the server's last words (a start-up error is printed as it exits).
                _process.WaitForExit();
                throw new InvalidOperationException("The server exited early:\n" + string.Join('\n', _output));
            }
            try
            {
                if ((await Http.GetAsync("/api/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException("The server did not answer /api/health within 120 s:\n" + string.Join('\n', _output));
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        Http.Dispose();
    }
}
