using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;

namespace Mailroom.Server.Tests;

/// <summary>What the process-level delivery tests do through the HTTP API: point the global sender at a sink, submit, wait, count.</summary>
internal static class QueueDriving
{
    /// <summary>Makes the global profile send, unencrypted and unauthenticated, to the sink on <paramref name="sinkPort"/>.</summary>
    public static async Task ConfigureSinkAsSenderAsync(HttpClient http, int sinkPort, int? rateLimitPerMinute = null)
    {
        (await http.PutAsJsonAsync("/api/settings/port-policy", new { additionalPorts = new[] { sinkPort } })).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync("/api/settings/global", new
        {
            host = "127.0.0.1", port = sinkPort, encryption = "none", authentication = "none", senderMode = "ownSmtp",
            fromAddress = "crash-test@example.test", displayName = "Crash test", rateLimitPerMinute,
        })).EnsureSuccessStatusCode();
    }

    /// <summary>Submits <paramref name="count"/> messages, spread over <paramref name="nodes"/> in turn; returns their ids.</summary>
    public static async Task<string[]> SubmitAsync(IReadOnlyList<HttpClient> nodes, int count, string subject = "Crash test", DateTimeOffset? sendAfter = null)
    {
        var ids = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var response = await nodes[i % nodes.Count].PostAsJsonAsync("/api/messages",
                new { to = new[] { $"rcpt{i}@example.test" }, subject = $"{subject} {i}", text = "x", sendAfter }, ct);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add((string)(await response.ReadJsonAsync())["id"]!);
        });
        return ids.ToArray();
    }

    /// <summary>How many of <paramref name="ids"/> were claimed again after a worker's lease expired (each may have been sent twice).</summary>
    public static async Task<int> CountReclaimedAsync(HttpClient http, IEnumerable<string> ids)
    {
        var reclaimed = 0;
        foreach (var id in ids)
        {
            var history = (await (await http.GetAsync($"/api/messages/{id}")).ReadJsonAsync())["history"]!.AsArray();
            if (history.Any(h => ((string?)h!["reason"])?.Contains("lease expired", StringComparison.Ordinal) == true)) reclaimed++;
        }
        return reclaimed;
    }

    /// <summary>The number of Sent messages, from the administrators' statistics.</summary>
    public static async Task<int> SentCountAsync(HttpClient http) =>
        (int?)(await (await http.GetAsync("/api/messages/stats")).ReadJsonAsync())["sent"] ?? 0;

    public static Task<int> WaitUntilAsync(Func<int> read, Func<int, bool> done, TimeSpan timeout) =>
        WaitUntilAsync(() => Task.FromResult(read()), done, timeout);

    public static async Task<int> WaitUntilAsync(Func<Task<int>> read, Func<int, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Still {value} after {timeout.TotalSeconds} s.");
            await Task.Delay(100);
        }
    }
}
