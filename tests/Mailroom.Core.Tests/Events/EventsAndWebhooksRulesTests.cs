using Mailroom.Core.Events;
using Mailroom.Core.Localization;

namespace Mailroom.Core.Tests.Events;

public class EventsAndWebhooksRulesTests
{
    [Theory]
    [InlineData("https://app.example.com/hooks/mailroom", null)]
    [InlineData("http://127.0.0.1:8080/x?token=1", null)]
    [InlineData("", WebhookService.UrlRequired)]
    [InlineData("app.example.com/hook", WebhookService.UrlInvalid)]
    [InlineData("ftp://app.example.com/hook", WebhookService.UrlScheme)]
    [InlineData("javascript:alert(1)", WebhookService.UrlScheme)]
    [InlineData("https://app.example.com/a\r\nX-Injected: 1", WebhookService.UrlInvalid)]
    [InlineData("https://user:secret@app.example.com/hook", WebhookService.UrlCredentials)]
    public void Url_IsHttpOrHttpsAndAbsolute_WithoutCredentials(string url, string? expectedCode)
    {
        var issues = WebhookService.Validate(new WebhookInput(url, ["message.sent"], null));

        Assert.Equal(expectedCode is null ? [] : [("url", expectedCode)], issues.Select(i => (i.Field, i.Code)));
    }

    [Fact]
    public void EventTypes_AreRequired_AndEachIsANamePrefixOrStar()
    {
        Assert.Equal([("eventTypes", WebhookService.TypesRequired)], WebhookService.Validate(new WebhookInput("https://a.example/x", [], null)).Select(i => (i.Field, i.Code)));
        Assert.Equal([("eventTypes[1]", WebhookService.TypeInvalid), ("eventTypes[3]", WebhookService.TypeInvalid)],
            WebhookService.Validate(new WebhookInput("https://a.example/x", ["message.sent", "Message.Sent", "message.*", "message*"], null)).Select(i => (i.Field, i.Code)));
    }

    [Theory]
    [InlineData("message.sent", "message.sent", true)]
    [InlineData("message.*", "message.bounced", true)]
    [InlineData("*", "oauth.expired", true)]
    [InlineData("message.sent", "message.sending", false)]
    [InlineData("message.*", "messages.sent", false)]
    public void Matching(string pattern, string type, bool matches) => Assert.Equal(matches, EventTypes.Matches([pattern], type));

    [Fact]
    public void Signature_VerifiesTheSignedBody_Only_WithinTheWindow()
    {
        var secret = WebhookSignature.NewSecret();
        var now = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
        var ts = now.ToUnixTimeSeconds();
        const string body = """{"id":1,"type":"message.sent"}""";
        var signature = WebhookSignature.Sign(secret, ts, body);

        Assert.Matches("^v1=[0-9a-f]{64}$", signature);
        Assert.True(WebhookSignature.Verify(secret, ts.ToString(), body, signature, now.AddMinutes(4), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(secret, ts.ToString(), body.Replace("sent", "failed"), signature, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(secret, (ts + 1).ToString(), body, signature, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(WebhookSignature.NewSecret(), ts.ToString(), body, signature, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(secret, ts.ToString(), body, signature, now.AddMinutes(6), TimeSpan.FromMinutes(5)));
        Assert.NotEqual(WebhookSignature.NewSecret(), WebhookSignature.NewSecret());
    }

    [Fact]
    public async Task EventLog_RefusesATypeThatIsNotAName()
    {
        var log = new EventLog(new NoStore(), TimeProvider.System);

        await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync("OAuth Expired", null, null, null));
    }

    [Fact]
    public void EveryWebhookCode_SpeaksBothLanguages()
    {
        foreach (var code in new[] { WebhookService.UrlRequired, WebhookService.UrlInvalid, WebhookService.UrlScheme, WebhookService.UrlCredentials,
                     WebhookService.TypesRequired, WebhookService.TypeInvalid, "webhook.notFound", "events.after.invalid", "events.type.invalid",
                     "events.range.invalid", "events.date.invalid" })
        {
            Assert.True(Messages.IsKnown(code), code);
            Assert.NotEqual(Messages.Format(code, "en"), Messages.Format(code, "pl"));
        }
    }

    private sealed class NoStore : IEventStore
    {
        public Task<long> AppendAsync(NewEvent newEvent, CancellationToken cancellationToken = default) => throw new InvalidOperationException("Must not be reached.");

        public Task<EventPage> ListAsync(EventQuery query, CancellationToken cancellationToken = default) => throw new InvalidOperationException("Must not be reached.");
    }
}
