using Mailroom.Core.Events;

namespace Mailroom.Server.Apis;

/// <summary>A webhook endpoint as the API shows it: never its secret.</summary>
public sealed record WebhookView(string Id, string Url, IReadOnlyList<string> EventTypes, bool Enabled, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WebhookView From(WebhookEndpoint e) => new(e.Id, e.Url, e.EventTypes, e.Enabled, e.CreatedAt, e.UpdatedAt);
}

/// <summary>A new webhook endpoint: <see cref="Secret"/> is shown this once and never again.</summary>
public sealed record WebhookCreatedView(WebhookView Webhook, string Secret);

/// <summary>One line of an endpoint's delivery log.</summary>
public sealed record WebhookAttemptView(long Id, long EventId, string EventType, int Attempt, DateTimeOffset At, int? StatusCode, string? Error, string Outcome)
{
    public static WebhookAttemptView From(WebhookAttempt a) =>
        new(a.Id, a.EventId, a.EventType, a.Attempt, a.At, a.StatusCode, a.Error, WebhookMatching.OutcomeName(a.Outcome));
}

/// <summary>Webhook endpoints and their delivery logs (administrators).</summary>
public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/api/webhooks").WithTags("Webhooks").RequireAuthorization(Security.CurrentUser.AdministratorPolicy);
        hooks.MapGet("", List).WithSummary("Every webhook endpoint, without secrets.");
        hooks.MapPost("", Create).WithSummary("Registers an endpoint {url, eventTypes, enabled}; answers 201 with its signing secret, shown this once.");
        hooks.MapGet("/{id}", Get).WithSummary("One endpoint, without its secret.");
        hooks.MapPut("/{id}", Update).WithSummary("Changes url, eventTypes or enabled (absent fields stay); the secret stays.");
        hooks.MapDelete("/{id}", Delete).WithSummary("Removes the endpoint with its pending deliveries and log.");
        hooks.MapGet("/{id}/deliveries", Deliveries).WithSummary("The endpoint's delivery log, newest first: every attempt with its HTTP status or error; ?limit= (1–500, default 100).");
        return app;
    }

    private static async Task<IResult> List(IWebhookStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListEndpointsAsync(ct)).Select(WebhookView.From));

    private static async Task<IResult> Create(WebhookInput input, WebhookService service, HttpContext context, CancellationToken ct)
    {
        var outcome = await service.CreateAsync(input, ct);
        if (outcome.Issues.Count > 0) return ApiProblems.Validation(context, outcome.Issues);
        return TypedResults.Created($"/api/webhooks/{outcome.Endpoint!.Id}", new WebhookCreatedView(WebhookView.From(outcome.Endpoint), outcome.Secret!));
    }

    private static async Task<IResult> Get(string id, IWebhookStore store, HttpContext context, CancellationToken ct) =>
        await store.GetEndpointAsync(id, ct) is { } endpoint ? TypedResults.Ok(WebhookView.From(endpoint)) : NotFound(context, id);

    private static async Task<IResult> Update(string id, WebhookInput input, WebhookService service, HttpContext context, CancellationToken ct)
    {
        var outcome = await service.UpdateAsync(id, input, ct);
        if (outcome.Issues.Count > 0) return ApiProblems.Validation(context, outcome.Issues);
        return outcome.Endpoint is null ? NotFound(context, id) : TypedResults.Ok(WebhookView.From(outcome.Endpoint));
    }

    private static async Task<IResult> Delete(string id, IWebhookStore store, HttpContext context, CancellationToken ct) =>
        await store.DeleteEndpointAsync(id, ct) ? TypedResults.NoContent() : NotFound(context, id);

    private static async Task<IResult> Deliveries(string id, int? limit, IWebhookStore store, HttpContext context, CancellationToken ct)
    {
        if (await store.GetEndpointAsync(id, ct) is null) return NotFound(context, id);
        return TypedResults.Ok((await store.ListAttemptsAsync(id, Math.Clamp(limit ?? 100, 1, 500), ct)).Select(WebhookAttemptView.From));
    }

    private static IResult NotFound(HttpContext context, string id) =>
        ApiProblems.NotFound(context, "webhook.notFound", new Dictionary<string, object?> { ["value"] = id });
}
