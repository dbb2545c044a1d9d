namespace Mailroom.Core.Events;

/// <summary>A URL that receives the events of chosen types, signed with its own secret.</summary>
public sealed record WebhookEndpoint
{
    /// <summary>The endpoint's id.</summary>
    public required string Id { get; init; }

    /// <summary>Where events are POSTed (http or https).</summary>
    public required string Url { get; init; }

    /// <summary>The subscribed types: exact names, <c>prefix.*</c> or <c>*</c>.</summary>
    public required IReadOnlyList<string> EventTypes { get; init; }

    /// <summary>Whether events are delivered to it.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The signing secret, encrypted by the secret protector; never shown after creation.</summary>
    public required string ProtectedSecret { get; init; }

    /// <summary>When it was registered; it receives the events that happen from then on.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>What an attempt led to.</summary>
public enum WebhookAttemptOutcome
{
    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>It failed; another attempt is scheduled.</summary>
    Retrying,

    /// <summary>It failed and that was the last attempt.</summary>
    Failed,
}

/// <summary>One line of an endpoint's delivery log.</summary>
/// <param name="Id">The attempt's id (newest is highest).</param>
/// <param name="EndpointId">The endpoint.</param>
/// <param name="DeliveryId">The delivery (one per endpoint and event).</param>
/// <param name="EventId">The event delivered.</param>
/// <param name="EventType">Its type.</param>
/// <param name="Attempt">1 for the first attempt, 2 for the second…</param>
/// <param name="At">When the attempt was made.</param>
/// <param name="StatusCode">The HTTP status the receiver answered, or null when none came.</param>
/// <param name="Error">Why it failed, or null.</param>
/// <param name="Outcome">Delivered, retrying or failed.</param>
public sealed record WebhookAttempt(
    long Id, string EndpointId, long DeliveryId, long EventId, string EventType, int Attempt, DateTimeOffset At, int? StatusCode, string? Error,
    WebhookAttemptOutcome Outcome);

/// <summary>A delivery that is due: the endpoint, the event and how many attempts were made so far.</summary>
public sealed record WebhookDeliveryWork(long DeliveryId, WebhookEndpoint Endpoint, EventRecord Event, int Attempts);

/// <summary>
/// Webhook endpoints, their work list and delivery log. Implemented next to the events log by
/// each backend; checked by the storage compliance suite.
/// </summary>
public interface IWebhookStore
{
    /// <summary>Stores a new endpoint.</summary>
    Task AddEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken = default);

    /// <summary>The endpoint with <paramref name="id"/>, or null.</summary>
    Task<WebhookEndpoint?> GetEndpointAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>All endpoints, oldest first.</summary>
    Task<IReadOnlyList<WebhookEndpoint>> ListEndpointsAsync(CancellationToken cancellationToken = default);

    /// <summary>Saves the URL, types and switch of an endpoint; false when there is no such endpoint.</summary>
    Task<bool> UpdateEndpointAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken = default);

    /// <summary>Deletes an endpoint with its pending deliveries and log; false when there is no such endpoint.</summary>
    Task<bool> DeleteEndpointAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads up to <paramref name="maxEvents"/> events after the dispatcher's cursor, adds a
    /// pending delivery for each enabled endpoint subscribed to each (events older than the
    /// endpoint are skipped) and moves the cursor — in one transaction. Returns how many events were read.
    /// </summary>
    Task<int> ScheduleAsync(int maxEvents, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Pending deliveries due at <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<WebhookDeliveryWork>> DueDeliveriesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Logs an attempt of <paramref name="deliveryId"/> and moves the delivery on: delivered,
    /// failed, or pending again at <paramref name="nextAttemptAt"/> (retrying).
    /// </summary>
    Task RecordAttemptAsync(long deliveryId, DateTimeOffset at, int? statusCode, string? error, WebhookAttemptOutcome outcome,
        DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken = default);

    /// <summary>The newest <paramref name="limit"/> attempts of an endpoint, newest first.</summary>
    Task<IReadOnlyList<WebhookAttempt>> ListAttemptsAsync(string endpointId, int limit, CancellationToken cancellationToken = default);
}
