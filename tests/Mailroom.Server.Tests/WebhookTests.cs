using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;

namespace Mailroom.Server.Tests;

/// <summary>
/// Webhooks end to end: registered through the API, delivered by the dispatcher to a real HTTP
/// receiver on 127.0.0.1, the signature checked here with the documented recipe, retries, the
/// delivery log, giving up, and a restart.
/// </summary>
public class WebhookTests
{
    private static MailroomServerFactory Factory(int maxAttempts = 5, string? dataDirectory = null)
    {
        void Configure(IWebHostBuilder b)
        {
            b.UseSetting("Mailroom:Delivery:WorkerEnabled", "false");
            b.UseSetting("Mailroom:Webhooks:PollInterval", "00:00:00.05");
            b.UseSetting("Mailroom:Webhooks:RetryDelays", "00:00:00.2");
            b.UseSetting("Mailroom:Webhooks:MaxAttempts", maxAttempts.ToString(CultureInfo.InvariantCulture));
        }
        return dataDirectory is null ? new MailroomServerFactory(withBootstrapKey: true, configure: Configure) : new MailroomServerFactory(dataDirectory, Configure);
    }

    private static async Task<(string Id, string Secret)> RegisterAsync(HttpClient admin, string url, params string[] types)
    {
        var response = await admin.PostAsJsonAsync("/api/webhooks", new { url, eventTypes = types });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadJsonAsync();
        return ((string)created["webhook"]!["id"]!, (string)created["secret"]!);
    }

    private static Task<string> SubmitAsync(HttpClient client, string subject) =>
        QueueDriving.PostMessageAsync(client, new { to = new[] { "klient@example.com" }, subject, text = "x" });

    /// <summary>The documented verification, written here independently of Mailroom's code.</summary>
    private static void AssertSigned(WebhookReceiver.Received request, string secret)
    {
        var timestamp = request.Headers["Mailroom-Timestamp"];
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + request.Body)));
        Assert.Equal(expected, request.Headers["Mailroom-Signature"]);
        Assert.InRange(long.Parse(timestamp, CultureInfo.InvariantCulture), request.At.ToUnixTimeSeconds() - 300, request.At.ToUnixTimeSeconds() + 300);
        Assert.StartsWith("application/json", request.Headers["Content-Type"]);
    }

    private static async Task<JsonArray> DeliveriesAsync(HttpClient admin, string hookId) =>
        (JsonArray)JsonNode.Parse(await (await admin.GetAsync($"/api/webhooks/{hookId}/deliveries")).Content.ReadAsStringAsync())!;

    [Fact]
    public async Task Delivery_IsSignedWithTheSecretShownOnce_AndTheSecretIsNotStoredInClear()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var factory = Factory();
        var admin = factory.Admin();
        var (hookId, secret) = await RegisterAsync(admin, receiver.Url, "message.queued");

        var messageId = await SubmitAsync(admin, "Faktura");
        var request = (await receiver.WaitForAsync(r => r.Length >= 1)).Single();

        AssertSigned(request, secret);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal(("message.queued", messageId), ((string)body["type"]!, (string)body["messageId"]!));
        Assert.Equal("message.queued", request.Headers["Mailroom-Event"]);
        var tampered = request with { Body = request.Body.Replace("message.queued", "message.sent") };
        Assert.Throws<Xunit.Sdk.EqualException>(() => AssertSigned(tampered, secret));

        Assert.StartsWith("whsec_", secret);
        var shown = (await (await admin.GetAsync($"/api/webhooks/{hookId}")).Content.ReadAsStringAsync())
                    + await (await admin.GetAsync("/api/webhooks")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, shown);
        Assert.DoesNotContain(secret, factory.AllStoredBytesAsText());
        Assert.DoesNotContain(factory.LogLines, l => l.Contains(secret, StringComparison.Ordinal));
        var log = await DeliveriesAsync(admin, hookId);
        Assert.Equal(("delivered", 204), ((string)log.Single()!["outcome"]!, (int)log.Single()!["statusCode"]!));
    }

    [Fact]
    public async Task ServerErrors_AreRetriedWithBackoff_UntilDelivered_AndLogged()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 503);
        using var factory = Factory();
        var admin = factory.Admin();
        var (hookId, secret) = await RegisterAsync(admin, receiver.Url, "message.*");

        await SubmitAsync(admin, "Faktura");
        var requests = await receiver.WaitForAsync(r => r.Length >= 3);

        Assert.Single(requests.Select(r => r.Headers["Mailroom-Delivery"]).Distinct());
        Assert.All(requests, r => AssertSigned(r, secret));
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(100), "the retry waited for its backoff");
        var log = await WaitForLogAsync(admin, hookId, 3);
        Assert.Equal([(3, "delivered", 204), (2, "retrying", 503), (1, "retrying", 500)],
            log.Select(a => ((int)a!["attempt"]!, (string)a["outcome"]!, (int)a["statusCode"]!)));
        Assert.Contains("500", (string)log[2]!["error"]!);
        await Task.Delay(600);
        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task LastAttemptFailed_GivesUp_AndWritesAWebhookFailedEvent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AlwaysAnswer = 500;
        using var factory = Factory(maxAttempts: 2);
        var admin = factory.Admin();
        var (hookId, _) = await RegisterAsync(admin, receiver.Url, "message.queued", "webhook.failed");

        var messageId = await SubmitAsync(admin, "Faktura");
        var log = await WaitForLogAsync(admin, hookId, 2);

        Assert.Equal(["failed", "retrying"], log.Select(a => (string)a!["outcome"]!));
        var failed = await WaitForEventAsync(admin, "webhook.failed");
        Assert.Equal((messageId, hookId), ((string)failed["messageId"]!, (string)failed["code"]!));
        Assert.Contains(receiver.Url, (string)failed["reason"]!);
        await Task.Delay(500);
        Assert.Equal(2, receiver.Requests.Count); // the endpoint is not sent the report of its own failure
    }

    [Fact]
    public async Task Restart_NeitherLosesNorResendsDeliveredEvents()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var dataDirectory = Directory.CreateTempSubdirectory("mailroom-restart-").FullName;
        try
        {
            string first;
            string hookId;
            using (var factory = Factory(dataDirectory: dataDirectory))
            {
                var admin = factory.Admin();
                (hookId, _) = await RegisterAsync(admin, receiver.Url, "message.queued");
                first = await SubmitAsync(admin, "before the restart");
                await receiver.WaitForAsync(r => r.Length >= 1);
            }
            using (var factory = Factory(dataDirectory: dataDirectory))
            {
                var admin = factory.Admin();
                var second = await SubmitAsync(admin, "after the restart");
                var requests = await receiver.WaitForAsync(r => r.Length >= 2);
                await Task.Delay(500);

                Assert.Equal([first, second], receiver.Requests.Select(r => (string)JsonNode.Parse(r.Body)!["messageId"]!));
                Assert.Equal(2, (await DeliveriesAsync(admin, hookId)).Count);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Registration_ValidatesUrlAndTypes_NamingTheField_InPolishToo_AndIsForAdministratorsOnly()
    {
        using var factory = Factory();
        var admin = factory.Admin("pl");

        var badScheme = await admin.PostAsJsonAsync("/api/webhooks", new { url = "ftp://app.example.com/x", eventTypes = new[] { "message.sent" } });
        Assert.Equal(HttpStatusCode.BadRequest, badScheme.StatusCode);
        Assert.Contains("http:// lub https://", (string)(await badScheme.ReadJsonAsync())["errors"]!["url"]![0]!);

        var bad = await admin.PostAsJsonAsync("/api/webhooks", new { url = "not a url", eventTypes = new[] { "Sent!" } });
        var errors = (await bad.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Contains("nie jest poprawnym pełnym adresem URL", (string)errors["url"]![0]!);
        Assert.Contains("nie jest typem zdarzenia", (string)errors["eventTypes[0]"]![0]!);

        var credentials = await factory.Admin().PostAsJsonAsync("/api/webhooks", new { url = "https://user:pass@app.example.com/x", eventTypes = new[] { "*" } });
        Assert.Contains("user name or password", (string)(await credentials.ReadJsonAsync())["errors"]!["url"]![0]!);
        Assert.Empty((JsonArray)JsonNode.Parse(await (await admin.GetAsync("/api/webhooks")).Content.ReadAsStringAsync())!);

        var anna = await factory.NewUserAsync("anna", "anna@firma.pl");
        Assert.Equal(HttpStatusCode.Forbidden, (await anna.PostAsJsonAsync("/api/webhooks", new { url = "https://app.example.com/x", eventTypes = new[] { "*" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anna.GetAsync("/api/webhooks")).StatusCode);
    }

    [Fact]
    public async Task Update_And_Delete()
    {
        using var factory = Factory();
        var admin = factory.Admin();
        var (hookId, _) = await RegisterAsync(admin, "https://app.example.com/x", "message.sent");

        var updated = await (await admin.PutJsonAsync($"/api/webhooks/{hookId}", new { enabled = false, eventTypes = new[] { "message.*" } })).ReadJsonAsync();
        Assert.Equal((false, "https://app.example.com/x", "message.*"), ((bool)updated["enabled"]!, (string)updated["url"]!, (string)updated["eventTypes"]![0]!));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutJsonAsync($"/api/webhooks/{hookId}", new { url = "mailto:x@example.com" })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/webhooks/{hookId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/webhooks/{hookId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/webhooks/{hookId}/deliveries")).StatusCode);
    }

    private static async Task<JsonArray> WaitForLogAsync(HttpClient admin, string hookId, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var log = await DeliveriesAsync(admin, hookId);
            if (log.Count >= count || DateTime.UtcNow > deadline) return log;
            await Task.Delay(50);
        }
    }

    private static async Task<JsonNode> WaitForEventAsync(HttpClient admin, string type)
    {
        var items = await Testing.Polling.WaitUntilAsync(
            async () => (JsonArray)(await (await admin.GetAsync($"/api/events?type={type}")).ReadJsonAsync())["items"]!,
            items => items.Count > 0, TimeSpan.FromSeconds(20), _ => $"no {type} event", TimeSpan.FromMilliseconds(50));
        return items[0]!;
    }
}
