using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mailroom.Testing;

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

    /// <summary>Makes the global profile send through the real test bed's submission port: STARTTLS, login and password, its certificate pinned.</summary>
    public static async Task ConfigureTestbedAsGlobalAsync(HttpClient admin)
    {
        var bed = MailTestbed.Instance;
        (await admin.PutJsonAsync("/api/settings/port-policy", new { additionalPorts = new[] { bed.SubmissionPort } })).EnsureSuccessStatusCode();
        (await admin.PutJsonAsync("/api/settings/global", new
        {
            host = bed.Host, port = bed.SubmissionPort, encryption = "startTls", authentication = "password",
            login = bed.UserName, password = bed.Password, certificateSha256 = bed.CertificateSha256,
        })).EnsureSuccessStatusCode();
    }

    /// <summary>Submits <paramref name="count"/> messages, spread over <paramref name="nodes"/> in turn; returns their ids.</summary>
    public static async Task<string[]> SubmitAsync(IReadOnlyList<HttpClient> nodes, int count, string subject = "Crash test", DateTimeOffset? sendAfter = null)
    {
        var ids = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            ids.Add(await PostMessageAsync(nodes[i % nodes.Count], new { to = new[] { $"rcpt{i}@example.test" }, subject = $"{subject} {i}", text = "x", sendAfter }));
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

    /// <summary>POSTs <paramref name="body"/> to <paramref name="url"/>, expects 202 Accepted (else fails with the answer) and returns the queued message's id.</summary>
    public static async Task<string> PostMessageAsync(HttpClient client, object body, string url = "/api/messages")
    {
        var response = await client.PostAsJsonAsync(url, body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (string)(await response.ReadJsonAsync())["id"]!;
    }

    /// <summary>Waits (up to a minute) until message <paramref name="id"/> is in one of <paramref name="statuses"/>, and returns it.</summary>
    public static Task<JsonNode> WaitForStatusAsync(HttpClient client, string id, params string[] statuses) =>
        Polling.WaitUntilAsync(async () => await (await client.GetAsync($"/api/messages/{id}")).ReadJsonAsync(),
            message => statuses.Contains((string?)message["status"]), TimeSpan.FromSeconds(60),
            message => $"message {id} {(string?)message["status"]}: {message.ToJsonString()}");
}
