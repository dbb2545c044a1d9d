using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Mailroom.Testing;

namespace Mailroom.Cli.Tests;

/// <summary><c>mailroom serve</c> run as a process: flags and pass-through keys reach the server; a bad option stops it with one line.</summary>
public class ServeTests
{
    [Fact]
    public async Task Serve_WithFlags_AnswersTheCli_OnTheGivenAddress_UsingTheGivenDataFolder()
    {
        var data = Directory.CreateTempSubdirectory("mailroom-serve-").FullName;
        var port = LoopbackPorts.Free();
        const string key = "serve-test-admin-key-3b7d9e1f2a";
        var start = new ProcessStartInfo("dotnet", [CliProcess.Dll, "serve", "--urls", $"http://127.0.0.1:{port}", "--data-directory", data,
            "--no-worker", "--Mailroom:Bootstrap:AdminEmail", "ops@example.test"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment["Mailroom__Bootstrap__AdminApiKey"] = key;
        using var server = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        server.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            var environment = new Dictionary<string, string?> { ["MAILROOM_SERVER"] = $"http://127.0.0.1:{port}", ["MAILROOM_API_KEY"] = key };
            CliResult? users = null;
            for (var i = 0; i < 120 && !server.HasExited; i++)
            {
                users = await CliProcess.RunAsync(environment, null, "users", "list", "--json");
                if (users.ExitCode != 6) break;
                await Task.Delay(500);
            }

            Assert.True(users is { ExitCode: 0 }, $"{users}\nserver: {string.Join('\n', output)}");
            Assert.Equal("ops@example.test", (string?)users!.Json[0]!["email"]);
            Assert.True(File.Exists(Path.Combine(data, "mailroom.db")), "the database is in --data-directory");
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_WithAnUnknownStorage_StopsWithOneLineNamingTheOption_Exit1()
    {
        var data = Directory.CreateTempSubdirectory("mailroom-serve-").FullName;
        try
        {
            var result = await CliProcess.RunAsync(new Dictionary<string, string?>(), null,
                "serve", "--urls", $"http://127.0.0.1:{LoopbackPorts.Free()}", "--data-directory", data, "--storage", "oracle");

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("Mailroom:Storage:Provider", result.Error);
            Assert.Contains("hint: ", result.Error);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
