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

    // A long run (the soak) keeps the last lines only.
    private const int MaxOutputLines = 20_000;

    private MailroomServerProcess(Process process, int port, TimeSpan httpTimeout)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = httpTimeout };
    }

    public int Port { get; }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    public IReadOnlyCollection<string> Output => _output;

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts the server with <paramref name="environment"/> and waits until /api/health answers.</summary>
    /// <param name="dataDirectory">Mailroom:DataDirectory (and the working directory, unless <paramref name="serverDll"/> is given).</param>
    /// <param name="environment">More variables, e.g. <c>Mailroom__Delivery__…</c>.</param>
    /// <param name="apiKey">Sent as the bearer token by <see cref="Http"/>.</param>
    /// <param name="serverDll">
    /// A built Mailroom.Server.dll to run (the soak run's Release build), from its own folder as in a
    /// deployment (its appsettings.json applies); null: the one beside the tests, from the data folder.
    /// </param>
    /// <param name="httpTimeout">The timeout of <see cref="Http"/>; 30 s when null.</param>
    /// <exception cref="InvalidOperationException">The server exited before it answered.</exception>
    /// <exception cref="TimeoutException">It did not answer within 120 s.</exception>
    public static async Task<MailroomServerProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment, string? apiKey = null,
        string? serverDll = null, TimeSpan? httpTimeout = null)
    {
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet", [serverDll ?? Path.Combine(AppContext.BaseDirectory, "Mailroom.Server.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = serverDll is null ? dataDirectory : Path.GetDirectoryName(serverDll)!,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Mailroom__DataDirectory"] = dataDirectory;
        // The test bed listens on 127.0.0.1: opted out of the SSRF rule explicitly (a caller may set it back).
        start.Environment["Mailroom__Security__BlockPrivateNetworksForUserProfiles"] = "false";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var server = new MailroomServerProcess(Process.Start(start)!, port, httpTimeout ?? TimeSpan.FromSeconds(30));
        server._process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
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

    private void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > MaxOutputLines) _output.TryDequeue(out _);
    }

    /// <summary>SIGTERM, as an operator stops the service; SIGKILL when it has not ended within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited) return;
        using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
            await term!.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
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
