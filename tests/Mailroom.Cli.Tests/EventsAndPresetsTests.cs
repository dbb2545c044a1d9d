using System.Text.Json.Nodes;

namespace Mailroom.Cli.Tests;

/// <summary>events tail (with --follow and --json lines) and presets lookup against the running server.</summary>
[Collection(CliServerCollection.Name)]
public class EventsAndPresetsTests(CliServerFixture fixture)
{
    private async Task<string> SendCapturedAsync(string subject)
    {
        var sent = await fixture.RunAsAsync(CliServerFixture.AdminKey, "Zdarzenia.\n", "send", "--to", "klient@example.test", "--subject", subject, "--wait", "--json");
        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.Equal("captured", (string?)sent.Json["status"]);
        return (string)sent.Json["id"]!;
    }

    private static List<JsonNode> JsonLines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => JsonNode.Parse(line)!).ToList();

    [Fact]
    public async Task EventsTail_ShowsASubmittedMessagesEvents_AsTextAndAsJsonLines()
    {
        var id = await SendCapturedAsync($"Events {Guid.NewGuid():N}");

        var json = await fixture.RunAsync("events", "tail", "--message", id, "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var events = JsonLines(json.Out);
        Assert.All(events, e => Assert.Equal(id, (string?)e["messageId"]));
        var types = events.Select(e => (string)e["type"]!).ToList();
        Assert.Equal("message.queued", types[0]);
        Assert.Contains("message.captured", types);
        // Oldest first: ids increase.
        var ids = events.Select(e => (long)e["id"]!).ToList();
        Assert.Equal(ids.Order(), ids);

        var text = await fixture.RunAsync("events", "tail", "--message", id, "--type", "message.captured");
        Assert.True(text.ExitCode == 0, text.ToString());
        var line = Assert.Single(text.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("message.captured", line);
        Assert.Contains(id, line);

        // The cursor: after the last event of this message, nothing of it is left.
        var rest = await fixture.RunAsync("events", "tail", "--message", id, "--after", ids[^1].ToString(), "--json");
        Assert.True(rest.ExitCode == 0, rest.ToString());
        Assert.Empty(JsonLines(rest.Out));

        // --since / --until reach the server: a window in the future holds none of them, one around now all.
        var future = await fixture.RunAsync("events", "tail", "--message", id, "--since", DateTimeOffset.UtcNow.AddHours(1).ToString("O"), "--json");
        Assert.True(future.ExitCode == 0, future.ToString());
        Assert.Empty(JsonLines(future.Out));
        var window = await fixture.RunAsync("events", "tail", "--message", id, "--since", DateTimeOffset.UtcNow.AddHours(-1).ToString("O"),
            "--until", DateTimeOffset.UtcNow.AddHours(1).ToString("O"), "--json");
        Assert.Equal(ids, JsonLines(window.Out).Select(e => (long)e["id"]!).ToList());
    }

    [Fact]
    public async Task EventsTail_Follow_PrintsNewEventsAsTheyHappen_AndCtrlCEndsItWithExit0()
    {
        // Start after everything logged so far: only new events come.
        var latest = await fixture.RunAsync("events", "tail", "--json");
        var after = JsonLines(latest.Out).Select(e => (long)e["id"]!).DefaultIfEmpty(0).Max();
        await using var tail = RunningCli.Start(fixture.Url, CliServerFixture.AdminKey,
            "events", "tail", "--follow", "--interval", "1", "--type", "message.captured", "--after", after.ToString(), "--json");

        var id = await SendCapturedAsync($"Follow {Guid.NewGuid():N}");
        JsonNode? seen = null;
        for (var i = 0; i < 50 && seen is null; i++)
        {
            var line = await tail.ReadLineAsync();
            Assert.NotNull(line);
            var e = JsonNode.Parse(line)!;
            Assert.Equal("message.captured", (string?)e["type"]);
            if ((string?)e["messageId"] == id) seen = e;
        }
        Assert.NotNull(seen);

        await tail.InterruptAsync();
        var ended = await tail.WaitAsync();
        Assert.True(ended.ExitCode == 0, ended.ToString());
    }

    [Fact]
    public async Task EventsTail_BadInterval_IsExit2_BadSince_IsExit2()
    {
        var interval = await fixture.RunAsync("events", "tail", "--follow", "--interval", "0");
        Assert.Equal(2, interval.ExitCode);
        Assert.Contains("--interval", interval.Error);

        var since = await fixture.RunAsync("events", "tail", "--since", "yesterday-ish");
        Assert.Equal(2, since.ExitCode);
    }

    [Fact]
    public async Task PresetsLookup_OnetAddress_GivesSmtpPocztaOnetPl465_AsTextAndJson()
    {
        var text = await fixture.RunAsync("presets", "lookup", "annanowak@op.pl", "--no-detect");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("host:           smtp.poczta.onet.pl", text.Out);
        Assert.Contains("port:           465", text.Out);
        Assert.Contains("encryption:", text.Out);
        Assert.Contains("login:          annanowak@op.pl", text.Out);

        var json = await fixture.RunAsync("presets", "lookup", "annanowak@op.pl", "--no-detect", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal("smtp.poczta.onet.pl", (string?)json.Json["settings"]!["host"]);
        Assert.Equal(465, (int?)json.Json["settings"]!["port"]);
        Assert.NotEmpty(json.Json["explanation"]!.AsArray());
    }

    [Fact]
    public async Task PresetsLookup_NotAnAddress_IsExit3_NamingEmail()
    {
        var result = await fixture.RunAsync("presets", "lookup", "not-an-address", "--no-detect", "--json");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains(result.Json["error"]!["issues"]!.AsArray(), i => (string?)i!["field"] == "email");
    }
}
