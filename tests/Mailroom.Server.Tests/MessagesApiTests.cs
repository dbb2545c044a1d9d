using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;

namespace Mailroom.Server.Tests;

/// <summary>The messages API with no delivery worker running, so the queue's contents can be inspected as submitted.</summary>
public class MessagesApiTests
{
    private static MailroomServerFactory Factory() => new(withBootstrapKey: true, configure: b => b.UseSetting("Mailroom:Delivery:WorkerEnabled", "false"));

    private static readonly object Invoice = new
    {
        to = new[] { "klient@example.com" },
        cc = new[] { "ksiegowosc@example.com" },
        bcc = new[] { "archiwum@example.com" },
        subject = "Faktura FV/2026/11/042",
        text = "W załączniku faktura.",
        html = "<p>W załączniku faktura.</p>",
        attachments = new[] { new { fileName = "FV-2026-11-042.pdf", contentType = "application/pdf", contentBase64 = Convert.ToBase64String([37, 80, 68, 70]) } },
    };

    [Fact]
    public async Task Submit_Answers202WithTheId_AndTheMessageIsStoredAsQueuedWithHistory()
    {
        using var factory = Factory();
        var admin = factory.Admin();

        var response = await admin.PostAsJsonAsync("/api/messages", Invoice);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.ReadJsonAsync();
        var id = (string)accepted["id"]!;
        Assert.Equal("queued", (string?)accepted["status"]);
        Assert.Equal($"/api/messages/{id}", response.Headers.Location?.OriginalString);

        var message = await (await admin.GetAsync($"/api/messages/{id}")).ReadJsonAsync();
        Assert.Equal("queued", (string?)message["status"]);
        Assert.Equal("Faktura FV/2026/11/042", (string?)message["subject"]);
        Assert.Equal("FV-2026-11-042.pdf", (string?)message["attachments"]![0]!["fileName"]);
        Assert.Equal(4, (int?)message["attachments"]![0]!["size"]);
        Assert.Equal("notification", (string?)message["priority"]);
        Assert.Equal("queued", (string?)message["history"]![0]!["status"]);
    }

    [Fact]
    public async Task RepeatedIdempotencyKey_ReturnsTheFirstId_AndQueuesNothingMore()
    {
        using var factory = Factory();
        var admin = factory.Admin();
        var request = () => new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = JsonContent.Create(Invoice),
            Headers = { { "Idempotency-Key", "invoice-42" } },
        };

        var first = await (await admin.SendAsync(request())).ReadJsonAsync();
        var second = await (await admin.SendAsync(request())).ReadJsonAsync();

        Assert.Equal((string?)first["id"], (string?)second["id"]);
        Assert.True((bool?)second["duplicate"]);
        Assert.Single((await (await admin.GetAsync("/api/messages")).ReadJsonAsync())["items"]!.AsArray());
    }

    [Fact]
    public async Task InvalidMessage_IsRefusedNamingTheFields_AndNothingIsStored()
    {
        using var factory = Factory();
        var admin = factory.Admin("pl");

        var response = await admin.PostAsJsonAsync("/api/messages", new
        {
            to = new[] { "dobry@example.com", "zły adres" },
            subject = "Temat\r\nBcc: ofiara@example.com",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject().Select(e => e.Key).ToArray();
        Assert.Contains("to[1]", errors);
        Assert.Contains("subject", errors);
        Assert.Contains("text", errors);
        Assert.Empty((await (await admin.GetAsync("/api/messages")).ReadJsonAsync())["items"]!.AsArray());
    }

    [Fact]
    public async Task DisabledSender_IsRefusedClearly_AndNothingIsQueued()
    {
        using var factory = Factory();
        var admin = factory.Admin();
        await admin.PutJsonAsync("/api/settings/global", new { enabled = false });

        var response = await admin.PostAsJsonAsync("/api/messages", Invoice);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("message.sender.disabled", (string?)(await response.ReadJsonAsync())["issues"]![0]!["code"]);
        Assert.Empty((await (await admin.GetAsync("/api/messages")).ReadJsonAsync())["items"]!.AsArray());
    }

    [Fact]
    public async Task User_SendsOnlyAsThemselves_AndSeesOnlyTheirOwnMessages()
    {
        using var factory = Factory();
        var anna = await factory.NewUserAsync("anna", "anna@firma.pl");
        await factory.NewUserAsync("jan", "jan@firma.pl");
        var adminMessage = (string)(await (await factory.Admin().PostAsJsonAsync("/api/messages", Invoice)).ReadJsonAsync())["id"]!;

        var own = await anna.PostAsJsonAsync("/api/messages", Invoice);
        var asJan = await anna.PostAsJsonAsync("/api/messages", new { senderUserId = "jan", to = new[] { "x@example.com" }, text = "x" });

        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, asJan.StatusCode);
        var listed = (await (await anna.GetAsync("/api/messages")).ReadJsonAsync())["items"]!.AsArray();
        Assert.Equal("anna", (string?)Assert.Single(listed)!["senderUserId"]);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/api/messages/{adminMessage}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anna.PostAsJsonAsync($"/api/messages/{adminMessage}/cancel", new { })).StatusCode);
    }

    [Fact]
    public async Task Administrator_CancelsAWaitingMessage_AndCanSendItAgain()
    {
        using var factory = Factory();
        var admin = factory.Admin();
        var id = (string)(await (await admin.PostAsJsonAsync("/api/messages", Invoice)).ReadJsonAsync())["id"]!;

        var cancelled = await admin.PostAsJsonAsync($"/api/messages/{id}/cancel", new { reason = "Wrong invoice" });
        var cancelledAgain = await admin.PostAsJsonAsync($"/api/messages/{id}/cancel", new { });
        var retried = await admin.PostAsJsonAsync($"/api/messages/{id}/retry", new { });

        Assert.Equal("cancelled", (string?)(await cancelled.ReadJsonAsync())["status"]);
        Assert.Equal(HttpStatusCode.Conflict, cancelledAgain.StatusCode);
        var body = await retried.ReadJsonAsync();
        Assert.Equal("queued", (string?)body["status"]);
        Assert.Contains(body["history"]!.AsArray(), h => (string?)h!["reason"] == "Wrong invoice");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/messages/nope/retry", new { })).StatusCode);
        var stats = await (await admin.GetAsync("/api/messages/stats")).ReadJsonAsync();
        Assert.Equal(1, (int?)stats["queued"]);
        Assert.Equal(0, (int?)stats["cancelled"]);
    }

    [Fact]
    public async Task TestMessage_IsQueuedAtTopPriority_WithDefaultsInTheCallersLanguage()
    {
        using var factory = Factory();
        var anna = await factory.NewUserAsync("anna", "anna@firma.pl");
        var pl = factory.Admin("pl");

        var global = await pl.PostAsJsonAsync("/api/settings/global/test-message", new { to = "odbiorca@example.com" });
        var user = await anna.PostAsJsonAsync("/api/users/anna/test-message", new { to = "odbiorca@example.com", subject = "Próba", body = "Treść" });
        var missing = await pl.PostAsJsonAsync("/api/settings/global/test-message", new { });

        Assert.Equal(HttpStatusCode.Accepted, global.StatusCode);
        Assert.Equal("Wiadomość dodana do kolejki.", (string?)(await global.ReadJsonAsync())["message"]);
        var globalMessage = await (await pl.GetAsync($"/api/messages/{(await global.ReadJsonAsync())["id"]}")).ReadJsonAsync();
        Assert.Equal("test", (string?)globalMessage["priority"]);
        Assert.Equal("Wiadomość testowa Mailroom", (string?)globalMessage["subject"]);
        Assert.Null((string?)globalMessage["senderUserId"]);
        var userMessage = await (await anna.GetAsync($"/api/messages/{(await user.ReadJsonAsync())["id"]}")).ReadJsonAsync();
        Assert.Equal("anna", (string?)userMessage["senderUserId"]);
        Assert.Equal("Próba", (string?)userMessage["subject"]);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }
}
