namespace Mailroom.Core.Events;

/// <summary>What every backend's webhook store decides alike: which endpoint gets which event, and the stored names of states.</summary>
public static class WebhookMatching
{
    /// <summary>
    /// Each (event, endpoint) to deliver: the endpoint is subscribed to the event's type and the
    /// event happened once the endpoint existed. A <c>webhook.failed</c> event is never sent to
    /// the endpoint whose failure it reports (a broken endpoint would otherwise feed itself).
    /// </summary>
    public static IEnumerable<(EventRecord Event, WebhookEndpoint Endpoint)> Pairs(IEnumerable<EventRecord> events, IReadOnlyList<WebhookEndpoint> endpoints) =>
        from e in events
        from endpoint in endpoints
        where endpoint.Enabled && e.At >= endpoint.CreatedAt && EventTypes.Matches(endpoint.EventTypes, e.Type)
              && !(e.Type == EventTypes.WebhookFailed && e.Code == endpoint.Id)
        select (e, endpoint);

    /// <summary>The delivery's stored state after an attempt with <paramref name="outcome"/>.</summary>
    public static string StateAfter(WebhookAttemptOutcome outcome) => outcome switch
    {
        WebhookAttemptOutcome.Delivered => "delivered",
        WebhookAttemptOutcome.Failed => "failed",
        _ => "pending",
    };

    /// <summary>The outcome as stored.</summary>
    public static string OutcomeName(WebhookAttemptOutcome outcome) => outcome.ToString().ToLowerInvariant();

    /// <summary>A stored outcome read back.</summary>
    public static WebhookAttemptOutcome ParseOutcome(string name) => Enum.Parse<WebhookAttemptOutcome>(name, ignoreCase: true);
}
