using System.Net;
using System.Net.Sockets;
using Mailroom.Testing;

namespace Mailroom.Cli.Tests;

/// <summary>Exit codes that need no running server.</summary>
public class ExitCodeTests
{
    [Fact]
    public async Task UnknownCommand_IsAUsageError_Exit2_WithTheHelpHint()
    {
        var result = await CliProcess.RunAsync(new Dictionary<string, string?>(), null, "queue", "frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("frobnicate", result.Error);
        Assert.Contains("mailroom queue --help", result.Error);
    }

    [Fact]
    public async Task ServerNotRunning_IsExit6_AndJsonSaysSo()
    {
        var port = LoopbackPorts.Free(); // nothing listens there

        var result = await CliProcess.RunAsync(
            new Dictionary<string, string?> { ["MAILROOM_SERVER"] = $"http://127.0.0.1:{port}", ["MAILROOM_API_KEY"] = "some-key-not-to-be-echoed-123" },
            null, "queue", "list", "--json");

        Assert.Equal(6, result.ExitCode);
        Assert.Equal(6, (int?)result.Json["error"]!["exitCode"]);
        Assert.Contains("mailroom serve", result.Error);
        Assert.DoesNotContain("some-key-not-to-be-echoed-123", result.Out + result.Error);
    }

    [Fact]
    public async Task MissingAttachmentFile_IsAUsageError_BeforeAnythingIsSent()
    {
        var result = await CliProcess.RunAsync(new Dictionary<string, string?> { ["MAILROOM_SERVER"] = "http://127.0.0.1:1", ["MAILROOM_API_KEY"] = "k" },
            "body", "send", "--to", "a@example.test", "--subject", "s", "--attach", "/nonexistent/faktura.pdf");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("/nonexistent/faktura.pdf", result.Error);
    }
}
