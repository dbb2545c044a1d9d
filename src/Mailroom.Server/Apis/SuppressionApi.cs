using System.Security.Claims;
using Mailroom.Core.Bounces;
using Mailroom.Core.Localization;
using Mailroom.Core.Settings;
using Mailroom.Core.Suppression;
using Mailroom.Server.Security;

namespace Mailroom.Server.Apis;

/// <summary>The suppression list, the mail kept from the bounce mailbox, and the reply-to relay settings (administrators).</summary>
public static class SuppressionApi
{
    public static IEndpointRouteBuilder MapSuppressionApi(this IEndpointRouteBuilder app)
    {
        var suppressions = app.MapGroup("/api/suppressions").WithTags("Bounces").RequireAuthorization(CurrentUser.AdministratorPolicy);
        suppressions.MapGet("", List).WithSummary("Suppressed addresses (hard bounces), ordered by address; ?search=&limit=&cursor=.");
        suppressions.MapGet("/{address}", Get).WithSummary("One suppressed address with the bounce that suppressed it.");
        suppressions.MapDelete("/{address}", Lift).WithSummary("Lifts a suppression: mail to the address is accepted again.");

        var inbound = app.MapGroup("/api/bounces/inbound").WithTags("Bounces").RequireAuthorization(CurrentUser.AdministratorPolicy);
        inbound.MapGet("", ListInbound).WithSummary("Mail read from the bounce mailbox, newest first; ?kind=bounce|notice|autoReply|unparseable&messageId=&limit=&cursor=.");
        inbound.MapGet("/{id}", GetInbound).WithSummary("One kept message: what it was found to be and what was done.");
        inbound.MapGet("/{id}/raw", GetInboundRaw).WithSummary("The kept message as received (message/rfc822).");

        app.MapGet("/api/settings/reply-to-relay", GetRelay).WithTags("Settings").RequireAuthorization()
            .WithSummary("The reply-to relay's organisation slug and system events domain.");
        app.MapPut("/api/settings/reply-to-relay", PutRelay).WithTags("Settings").RequireAuthorization(CurrentUser.AdministratorPolicy)
            .WithSummary("Sets the reply-to relay's organisation slug and system events domain (null clears them).");
        return app;
    }

    private static async Task<IResult> List(ISuppressionStore store, string? search, int? limit, string? cursor, CancellationToken ct)
    {
        var page = await store.ListAsync(search, Math.Clamp(limit ?? 50, 1, 500), cursor, ct);
        return TypedResults.Ok(new { items = page.Items, nextCursor = page.NextCursor });
    }

    private static async Task<IResult> Get(string address, ISuppressionStore store, HttpContext context, CancellationToken ct) =>
        (await store.FindAsync([address], ct)) is [var entry]
            ? TypedResults.Ok(entry)
            : ApiProblems.NotFound(context, "suppression.notFound", new Dictionary<string, object?> { ["value"] = address });

    private static async Task<IResult> Lift(string address, ISuppressionStore store, HttpContext context, ClaimsPrincipal caller, ILogger<SuppressionStoreLog> log, CancellationToken ct)
    {
        if (!await store.RemoveAsync(address, ct))
            return ApiProblems.NotFound(context, "suppression.notFound", new Dictionary<string, object?> { ["value"] = address });
        log.LogInformation("Suppression of {Address} lifted by {User}", SuppressionAddress.Normalize(address), caller.Id());
        return TypedResults.Ok(new { message = Messages.Format("suppression.lifted", context.Language(), new Dictionary<string, object?> { ["value"] = SuppressionAddress.Normalize(address) }) });
    }

    private static async Task<IResult> ListInbound(IInboundMailStore store, string? kind, string? messageId, int? limit, string? cursor, HttpContext context, CancellationToken ct)
    {
        InboundMailKind? wanted = null;
        if (!string.IsNullOrEmpty(kind))
        {
            wanted = InboundMailDocuments.ParseKind(kind);
            if (wanted is null) return ApiProblems.Validation(context, "kind", "inbound.kindInvalid", kind);
        }
        var page = await store.ListAsync(wanted, messageId, Math.Clamp(limit ?? 50, 1, 500), cursor, ct);
        return TypedResults.Ok(new { items = page.Items.Select(InboundView.Of), nextCursor = page.NextCursor });
    }

    private static async Task<IResult> GetInbound(string id, IInboundMailStore store, HttpContext context, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } mail
            ? TypedResults.Ok(InboundView.Of(mail))
            : ApiProblems.NotFound(context, "inbound.notFound", new Dictionary<string, object?> { ["value"] = id });

    private static async Task<IResult> GetInboundRaw(string id, IInboundMailStore store, HttpContext context, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } mail
            ? TypedResults.File(mail.Raw, "message/rfc822", $"{id}.eml")
            : ApiProblems.NotFound(context, "inbound.notFound", new Dictionary<string, object?> { ["value"] = id });

    private static async Task<IResult> GetRelay(DeploymentSettingsService deployment, CancellationToken ct) =>
        TypedResults.Ok(RelayView.From((await deployment.GetAsync(ct)).ReplyToRelay));

    private static async Task<IResult> PutRelay(RelayView input, DeploymentSettingsService deployment, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        var (relay, issues) = await deployment.SetReplyToRelayAsync(input.OrganisationSlug, input.EventsDomain, caller.Id(), ct);
        if (relay is null) return ApiProblems.Validation(context, issues);
        return TypedResults.Ok(new { message = Messages.Format("replyToRelay.saved", context.Language()), replyToRelay = RelayView.From(relay) });
    }

    /// <summary>The reply-to relay settings as the API shows and takes them.</summary>
    public sealed record RelayView(string? OrganisationSlug, string? EventsDomain, string? FromAddress = null)
    {
        internal static RelayView From(ReplyToRelaySettings relay) => new(relay.OrganisationSlug, relay.EventsDomain, relay.FromAddress);
    }

    /// <summary>A kept inbound message without its raw bytes.</summary>
    public sealed record InboundView(
        string Id, DateTimeOffset ReceivedAt, InboundMailKind Kind, string? MessageId, string? CorrelatedBy, string? From, string? Subject,
        string Detail, IReadOnlyList<BounceRecipient> Recipients, DateTimeOffset? ProcessedAt, int Size)
    {
        internal static InboundView Of(InboundMail m) =>
            new(m.Id, m.ReceivedAt, m.Kind, m.MessageId, m.CorrelatedBy, m.From, m.Subject, m.Detail, m.Recipients, m.ProcessedAt, m.Raw.Length);
    }

    /// <summary>The log category of suppression changes.</summary>
    public sealed class SuppressionStoreLog;
}
