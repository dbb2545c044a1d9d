using System.Diagnostics;
using System.Net.Http.Headers;

namespace Mailroom.Bench;

/// <summary>Starting a Mailroom server process for a scenario and reaching it (the throughput and mailing scenarios alike).</summary>
internal static class MailroomServers
{
    /// <summary>Starts Mailroom.Server (Production, its own data folder and bootstrap key, logging to <paramref name="logPath"/>).</summary>
    public static Process StartServer(BenchOptions o, int httpPort, string dataDir, string apiKey, string logPath, bool worker, string? postgres = null)
    {
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Mailroom__DataDirectory"] = dataDir,
            ["Mailroom__Bootstrap__AdminApiKey"] = apiKey,
            // The sink is on 127.0.0.1: the benchmark opts out of the SSRF guard for user profiles, as the tests do.
            ["Mailroom__Security__BlockPrivateNetworksForUserProfiles"] = "false",
            ["Mailroom__Delivery__Concurrency"] = o.Concurrency.ToString(),
            ["Mailroom__Delivery__WorkerEnabled"] = worker ? "true" : "false",
        };
        if (postgres is not null)
        {
            env["Mailroom__Storage__Provider"] = "postgresql";
            env["Mailroom__Storage__ConnectionString"] = postgres;
        }
        // Working directory = the build output, so the content root holds the shipped appsettings.json
        // (as in a deployment); from elsewhere ASP.NET Core would log every request at Information.
        var server = Infra.StartLogged("dotnet", [o.ServerDll], env, logPath, System.IO.Path.GetDirectoryName(o.ServerDll)!);
        Console.WriteLine($"  mailroom: pid {server.Id}, http://127.0.0.1:{httpPort}, worker {(worker ? "on" : "off")}, data {dataDir}, log {logPath}");
        return server;
    }

    /// <summary>An HTTP client for the server on <paramref name="httpPort"/> with the API key.</summary>
    public static HttpClient NewHttp(int httpPort, string apiKey, int parallel, TimeSpan? timeout = null)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = parallel, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"),
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    /// <summary>A fresh bootstrap API key.</summary>
    public static string NewApiKey() => "bench-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>Waits (up to 60 s) until /api/health answers; fails when the server exits first.</summary>
    public static async Task WaitHealthyAsync(HttpClient http, Process server)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (server.HasExited) throw new InvalidOperationException($"Mailroom.Server exited with {server.ExitCode} while starting");
            try
            {
                using var r = await http.GetAsync("/api/health");
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("Mailroom.Server did not answer /api/health within 60 s");
    }
}
