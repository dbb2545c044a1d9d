using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;

namespace Mailroom.Server.Tests;

/// <summary>GET /api/events: filters, the cursor, and who sees what. No delivery worker: messages stay queued as submitted.</summary>
public class EventsApiTests
{
    private static MailroomServerFactory Factory() => new(withBootstrapKey: true, configure: b =>
    {
        b.UseSetting("Mailroom:Delivery:WorkerEnabled", "false");
        b.UseSetting("Mailroom:Webhooks:DispatcherEnabled", "false");
    });

    private static object Mail(string subject) => new { to = new[] { "klient@example.com" }, subject, text = "Dzień dobry" };

    private static Task<string> SubmitAsync(HttpClient client, string subject, string? senderUserId = null) =>
        QueueDriving.PostMessageAsync(client, senderUserId is null ? Mail(subject) : new { senderUserId, to = new[] { "klient@example.com" }, subject, text = "x" });

    private static async Task<JsonArray> ItemsAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/events" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (JsonArray)(await response.ReadJsonAsync())["items"]!;
    }

    [Fact]
    public async Task Administrator_FiltersByType_Message_User_AndTime()
    {
        using var factory = Factory();
        var admin = factory.Admin();
        var anna = await factory.NewUserAsync("anna", "anna@firma.pl");
        var annaMessage = await SubmitAsync(anna, "Anna's");
        var globalMessage = await SubmitAsync(admin, "Global");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/messages/{globalMessage}/cancel", new { reason = "Not needed." })).StatusCode);

        var all = await ItemsAsync(admin, "");
        Assert.Equal(["message.queued", "message.queued", "message.cancelled"], all.Select(e => (string)e!["type"]!));
        var cancelled = Assert.Single(await ItemsAsync(admin, "?type=message.cancelled"));
        Assert.Equal((globalMessage, "Not needed."), ((string)cancelled!["messageId"]!, (string)cancelled["reason"]!));
        Assert.Equal(2, (await ItemsAsync(admin, $"?messageId={globalMessage}")).Count);
        Assert.Equal([annaMessage], (await ItemsAsync(admin, "?userId=anna")).Select(e => (string)e!["messageId"]!));
        Assert.Equal(3, (await ItemsAsync(admin, "?type=message.queued,message.cancelled")).Count);
        var first = DateTimeOffset.Parse((string)all[0]!["at"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Empty(await ItemsAsync(admin, "?until=" + Uri.EscapeDataString(first.ToString("O"))));
        Assert.Equal(3, (await ItemsAsync(admin, "?since=" + Uri.EscapeDataString(first.ToString("O")))).Count);
    }

    [Fact]
    public async Task Cursor_PagesWithAfterAndLimit_AndNextPollsForNewEvents()
    {
        using var factory = Factory();
        var admin = factory.Admin();
        for (var i = 0; i < 5; i++) await SubmitAsync(admin, $"#{i}");

        var seen = new List<long>();
        long after = 0;
        bool hasMore;
        do
        {
            var page = await (await admin.GetAsync($"/api/events?limit=2&after={after}")).ReadJsonAsync();
            var items = (JsonArray)page["items"]!;
            Assert.True(items.Count <= 2);
            seen.AddRange(items.Select(e => (long)e!["id"]!));
            after = (long)page["next"]!;
            hasMore = (bool)page["hasMore"]!;
        } while (hasMore);

        Assert.Equal(5, seen.Count);
        Assert.Equal(seen.Order(), seen);
        Assert.Equal(seen[^1], after);
        var empty = await (await admin.GetAsync($"/api/events?after={after}")).ReadJsonAsync();
        Assert.Empty((JsonArray)empty["items"]!);
        Assert.Equal(after, (long)empty["next"]!);
        var newId = await SubmitAsync(admin, "new");
        Assert.Equal([newId], (await ItemsAsync(admin, $"?after={after}")).Select(e => (string)e!["messageId"]!));
    }

    [Fact]
    public async Task User_SeesOnlyTheirOwnEvents_AndIsRefusedOthers()
    {
        using var factory = Factory();
        var admin = factory.Admin();
        var anna = await factory.NewUserAsync("anna", "anna@firma.pl");
        await factory.NewUserAsync("jan", "jan@firma.pl");
        var annaMessage = await SubmitAsync(anna, "Anna's");
        var janMessage = await SubmitAsync(admin, "Jan's", senderUserId: "jan");
        await SubmitAsync(admin, "Global");

        Assert.Equal([annaMessage], (await ItemsAsync(anna, "")).Select(e => (string)e!["messageId"]!));
        Assert.Empty(await ItemsAsync(anna, $"?messageId={janMessage}"));
        Assert.Equal(HttpStatusCode.Forbidden, (await anna.GetAsync("/api/events?userId=jan")).StatusCode);
        Assert.Single(await ItemsAsync(anna, "?userId=anna"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/api/events")).StatusCode);
    }

    [Fact]
    public async Task BadParameters_Answer400NamingTheParameter_InPolishToo()
    {
        using var factory = Factory();
        var admin = factory.Admin("pl");

        var response = await admin.GetAsync("/api/events?type=Sent!&after=abc&since=yesterday");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Contains("nie jest nazwą typu zdarzenia", (string)errors["type"]![0]!);
        Assert.Contains("'after'", (string)errors["after"]![0]!);
        Assert.Contains("nie jest datą", (string)errors["since"]![0]!);
    }

    [Fact]
    public async Task SettingsSaved_IsAnEvent_SeenByThatUser()
    {
        using var factory = Factory();
        var anna = await factory.NewUserAsync("anna", "anna@firma.pl");

        var saved = await anna.PutJsonAsync("/api/users/anna/settings", new { authentication = "password", login = "anna@firma.pl", password = "Tajne-Haslo-123" });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());

        var e = Assert.Single(await ItemsAsync(anna, "?type=settings.changed"));
        Assert.Equal("anna", (string)e!["userId"]!);
        Assert.Contains("password", e["details"]!.ToJsonString());
        Assert.DoesNotContain("Tajne-Haslo-123", e.ToJsonString());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesEventsAndWebhooks()
    {
        using var factory = Factory();

        var document = await (await factory.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync();
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToArray();

        Assert.Contains("/api/events", paths);
        Assert.Contains("/api/webhooks", paths);
        Assert.Contains("/api/webhooks/{id}", paths);
        Assert.Contains("/api/webhooks/{id}/deliveries", paths);
    }
}
