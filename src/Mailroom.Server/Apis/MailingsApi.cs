using Microsoft.AspNetCore.Mvc;
using System.Security.Claims;
using Mailroom.Core.Localization;
using Mailroom.Core.Mailings;
using Mailroom.Core.Templates;
using Mailroom.Server.Security;
using Microsoft.AspNetCore.Http.Features;

namespace Mailroom.Server.Apis;

/// <summary>A mailing and its progress as the API shows them.</summary>
public sealed record MailingView(
    string Id, string Name, string Template, int TemplateVersion, string Language, string SenderUserId, string CreatedBy, DateTimeOffset CreatedAt,
    MailingState State, bool Completed, int Total, int Done, double Percent, IReadOnlyDictionary<string, int> Counts,
    double RatePerMinute, double? SecondsLeft, string ReportUrl)
{
    public static MailingView From(MailingProgress p) => new(
        p.Mailing.Id, p.Mailing.Name, p.Mailing.TemplateName, p.Mailing.TemplateVersion, p.Mailing.Language, p.Mailing.SenderUserId,
        p.Mailing.CreatedBy, p.Mailing.CreatedAt, p.Mailing.State, p.Completed, p.Total, p.Done, p.Percent, p.Counts, p.RatePerMinute,
        p.SecondsLeft, $"/api/mailings/{p.Mailing.Id}/report.csv");
}

/// <summary>Mass mailings: start (recipients streamed into the queue), progress, pause, resume, cancel, CSV report.</summary>
public static class MailingsApi
{
    public static IEndpointRouteBuilder MapMailingsApi(this IEndpointRouteBuilder app)
    {
        var mailings = app.MapGroup("/api/mailings").WithTags("Mailings").RequireAuthorization();
        mailings.MapPost("", Start).DisableAntiforgery().WithMetadata(new Hosting.UploadEndpointAttribute()).WithSummary(
            "Starts a mailing. multipart/form-data: template, version, language, senderUserId, name, a 'recipients' file (CSV or JSON array) " +
            "and any number of 'attachments' files that rows name; or the recipients as the body (text/csv or application/json) with the other fields in the query string.");
        mailings.MapGet("", List).WithSummary("Mailings newest first with their progress; users see their own.");
        mailings.MapGet("/{mailingId}", Get).WithSummary("A mailing's progress: counts per state, rate, time left.");
        mailings.MapPost("/{mailingId}/pause", (string mailingId, MailingService s, HttpContext c, ClaimsPrincipal u, CancellationToken ct) => ChangeAsync(mailingId, MailingState.Paused, s, c, u, ct))
            .WithSummary("Holds the mailing's waiting messages.");
        mailings.MapPost("/{mailingId}/resume", (string mailingId, MailingService s, HttpContext c, ClaimsPrincipal u, CancellationToken ct) => ChangeAsync(mailingId, MailingState.Running, s, c, u, ct))
            .WithSummary("Queues the held messages again.");
        mailings.MapPost("/{mailingId}/cancel", (string mailingId, MailingService s, HttpContext c, ClaimsPrincipal u, CancellationToken ct) => ChangeAsync(mailingId, MailingState.Cancelled, s, c, u, ct))
            .WithSummary("Cancels the mailing's waiting messages (final).");
        mailings.MapGet("/{mailingId}/report.csv", Report).WithSummary("Per-recipient report as CSV (row, email, status, reason, messageId, updatedAt).");
        return app;
    }

    private static async Task<IResult> Start(HttpContext context, MailingService service, ClaimsPrincipal caller, CancellationToken ct)
    {
        var request = context.Request;
        MailingRequest input;
        Stream recipients;
        string? fileName;
        var files = new List<MailingFile>();
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            input = new MailingRequest(form["template"], ParseInt(form["version"]), NullIfEmpty(form["language"]), NullIfEmpty(form["senderUserId"]), NullIfEmpty(form["name"]));
            var file = form.Files.GetFile("recipients");
            if (file is null) return ApiProblems.Validation(context, "recipients", TemplateCodes.RecipientsRequired);
            recipients = file.OpenReadStream();
            fileName = file.FileName;
            files.AddRange(form.Files.Where(f => f.Name != "recipients").Select(MailingUploads.ToMailingFile));
        }
        else
        {
            var query = request.Query;
            input = new MailingRequest(query["template"], ParseInt(query["version"]), NullIfEmpty(query["language"]), NullIfEmpty(query["senderUserId"]), NullIfEmpty(query["name"]));
            recipients = request.Body;
            fileName = request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true ? "recipients.json"
                : request.ContentType?.Contains("csv", StringComparison.OrdinalIgnoreCase) == true ? "recipients.csv" : null;
        }
        input = input with { SenderUserId = input.SenderUserId ?? caller.Id() };
        if (!caller.IsAdministrator() && input.SenderUserId != caller.Id())
            return ApiProblems.Validation(context, "senderUserId", "message.sender.forbidden", input.SenderUserId);
        await using (recipients)
        {
            var (format, stream) = await RecipientReader.DetectAsync(recipients, fileName, ct);
            var (mailing, issues) = await service.StartAsync(input, RecipientReader.ReadAsync(stream, format, ct), files, caller.Id(), ct);
            if (mailing is null)
            {
                return issues.Any(i => i.Code == TemplateCodes.NotFound)
                    ? ApiProblems.NotFound(context, TemplateCodes.NotFound, new Dictionary<string, object?> { ["value"] = input.Template })
                    : ApiProblems.Validation(context, issues);
            }
            var progress = (await service.GetProgressAsync(mailing.Id, ct))!;
            return TypedResults.Created($"/api/mailings/{mailing.Id}", MailingView.From(progress));
        }
    }

    private static async Task<IResult> List(MailingService service, ClaimsPrincipal caller, int? limit, CancellationToken ct)
    {
        var progress = await service.ListProgressAsync(caller.IsAdministrator() ? null : caller.Id(), Math.Clamp(limit ?? 50, 1, 500), ct);
        return TypedResults.Ok(progress.Select(MailingView.From).ToList());
    }

    private static async Task<IResult> Get(string mailingId, MailingService service, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        var progress = await service.GetProgressAsync(mailingId, ct);
        return progress is null || !MayRead(caller, progress.Mailing) ? NotFound(context, mailingId) : TypedResults.Ok(MailingView.From(progress));
    }

    private static async Task<IResult> ChangeAsync(string mailingId, MailingState state, MailingService service, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        var mailing = await service.GetAsync(mailingId, ct);
        if (mailing is null || !MayRead(caller, mailing)) return NotFound(context, mailingId);
        if (await service.ChangeStateAsync(mailingId, state, caller.Id(), ct) is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: Messages.Format(TemplateCodes.MailingWrongState, context.Language(), new Dictionary<string, object?> { ["state"] = MailingDocuments.StateName(mailing.State) }),
                extensions: new Dictionary<string, object?> { ["code"] = TemplateCodes.MailingWrongState });
        }
        return TypedResults.Ok(MailingView.From((await service.GetProgressAsync(mailingId, ct))!));
    }

    private static async Task Report(string mailingId, MailingService service, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        var mailing = await service.GetAsync(mailingId, ct);
        if (mailing is null || !MayRead(caller, mailing))
        {
            await NotFound(context, mailingId).ExecuteAsync(context);
            return;
        }
        await WriteReportAsync(context, service, mailingId, ct);
    }

    /// <summary>Streams the per-recipient CSV report as a download (shared by the API and the web UI).</summary>
    internal static async Task WriteReportAsync(HttpContext context, MailingService service, string mailingId, CancellationToken ct)
    {
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"mailing-{mailingId}.csv\"";
        await using var writer = new StreamWriter(context.Response.Body, new System.Text.UTF8Encoding(false), 64 * 1024);
        await foreach (var line in service.ReportCsvAsync(mailingId, context.Language(), ct))
        {
            await writer.WriteAsync(line);
            await writer.WriteAsync("\r\n");
        }
    }

    /// <summary>Whether <paramref name="caller"/> may see <paramref name="mailing"/> (shared with the web UI); one who may not is told it does not exist.</summary>
    internal static bool MayRead(ClaimsPrincipal caller, Mailing mailing) =>
        caller.IsAdministrator() || mailing.SenderUserId == caller.Id() || mailing.CreatedBy == caller.Id();

    private static IResult NotFound(HttpContext context, string mailingId) =>
        ApiProblems.NotFound(context, TemplateCodes.MailingNotFound, new Dictionary<string, object?> { ["value"] = mailingId });

    private static int? ParseInt(string? value) => int.TryParse(value, out var n) ? n : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
