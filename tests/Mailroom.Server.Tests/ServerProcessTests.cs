using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Mailroom.Server.Tests;

/// <summary>The server as an operator runs it: a process configured by environment variables.</summary>
public class ServerProcessTests
{
    [Fact]
    public async Task BootstrapAdminKey_FromTheEnvironmentVariable_WorksOnTheAddressFromAspNetCoreUrls()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("mailroom-process-").FullName;
        var port = FreePort();
        const string key = "env-bootstrap-key-4f1c2e9a7b6d5c3e";
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Mailroom.Server.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = dataDirectory,
            Environment =
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["Mailroom__DataDirectory"] = dataDirectory,
                ["Mailroom__Bootstrap__AdminApiKey"] = key,
            },
        };
        using var server = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        server.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            await WaitForHealthAsync(http, server, output);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

            var me = await (await http.GetAsync("/api/users/me")).ReadJsonAsync();

            Assert.Equal("administrator", (string?)me["role"]);
            Assert.False(File.Exists(Path.Combine(dataDirectory, "first-start-credentials.txt")), "with a bootstrap key no generated credentials are needed");
            Assert.DoesNotContain(output, line => line.Contains(key, StringComparison.Ordinal));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task WaitForHealthAsync(HttpClient http, Process server, IEnumerable<string> output)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited) Assert.Fail("The server exited early:\n" + string.Join('\n', output));
            try
            {
                if ((await http.GetAsync("/api/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        Assert.Fail("The server did not answer /api/health within 60 s:\n" + string.Join('\n', output));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
