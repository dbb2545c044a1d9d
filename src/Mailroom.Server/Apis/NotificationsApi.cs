using System.Security.Claims;
using System.Text.Json;
using Mailroom.Core.Localization;
using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Templates;
using Mailroom.Server.Security;

namespace Mailroom.Server.Apis;

/// <summary>Body of POST /api/notifications.</summary>
/// <param name="Template">The template's name, e.g. <c>document-handed-over</c>.</param>
/// <param name="Version">A template version; absent: the newest.</param>
/// <param name="Language">pl or en; absent: the recipient's known language, else the organisation's default.</param>
/// <param name="Recipient">The address.</param>
/// <param name="Data">The template's data (JSON object).</param>
/// <param name="SenderUserId">The user to send as; absent: the caller (a user) or the global profile (an administrator).</param>
/// <param name="Attachments">Files, base64.</param>
/// <param name="IdempotencyKey">A repeated key returns the first message.</param>
public sealed record NotificationInput(
    string? Template, int? Version, string? Language, string? Recipient, JsonElement? Data, string? SenderUserId,
    IReadOnlyList<AttachmentInput>? Attachments, string? IdempotencyKey);

/// <summary>The answer to a notification (202): the queued message and the template version and language used.</summary>
public sealed record NotificationAcceptedView(string Id, MessageStatus Status, bool Duplicate, TemplateReference Template, string Message);

/// <summary>Template-based notifications from the host application.</summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/notifications", Send).WithTags("Notifications").RequireAuthorization()
            .WithSummary("Renders a template for one recipient (signature and BCC of the sender applied) and queues it; 202 with the message id.");
        return app;
    }

    private static async Task<IResult> Send(NotificationInput input, NotificationService notifications, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        var sender = input.SenderUserId ?? (caller.IsAdministrator() ? null : caller.Id());
        if (!caller.IsAdministrator() && sender != caller.Id())
            return ApiProblems.Validation(context, "senderUserId", "message.sender.forbidden", input.SenderUserId);
        var (attachments, attachmentIssues) = MessagesApi.DecodeAttachments(input.Attachments);
        if (attachmentIssues.Count > 0) return ApiProblems.Validation(context, attachmentIssues);
        var data = input.Data is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } d ? d.GetRawText() : null;
        var idempotencyKey = input.IdempotencyKey ?? (context.Request.Headers["Idempotency-Key"].ToString() is { Length: > 0 } header ? header : null);
        var (outcome, template) = await notifications.SendAsync(
            new NotificationRequest(input.Template, input.Version, input.Language, input.Recipient, data, sender, attachments, idempotencyKey), ct);
        if (!outcome.Accepted)
        {
            return outcome.Issues.Any(i => i.Code == TemplateCodes.NotFound)
                ? ApiProblems.NotFound(context, TemplateCodes.NotFound, new Dictionary<string, object?> { ["value"] = input.Template })
                : ApiProblems.Validation(context, outcome.Issues);
        }
        var result = outcome.Result!;
        return TypedResults.Accepted($"/api/messages/{result.Id}",
            new NotificationAcceptedView(result.Id, result.Status, result.Duplicate, template!, Messages.Format("message.queued", context.Language())));
    }
}
