using System.Security.Claims;
using Mailroom.Core.Localization;
using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Settings.Validation;
using Mailroom.Core.Storage;
using Mailroom.Server.Security;

namespace Mailroom.Server.Apis;

/// <summary>Submitting messages, following them through the queue, and the administrator's retry and cancel.</summary>
public static class MessagesApi
{
    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder app)
    {
        var messages = app.MapGroup("/api/messages").WithTags("Messages").RequireAuthorization();
        messages.MapPost("", Submit).WithSummary("Stores a message durably and answers 202 with its id. Idempotency-Key header or field supported.");
        messages.MapGet("", List).WithSummary("Messages newest first; ?status=&senderUserId=&limit=&cursor=. Users see their own.");
        messages.MapGet("/stats", Stats).RequireAuthorization(CurrentUser.AdministratorPolicy)
            .WithSummary("How many messages are in each status.");
        messages.MapGet("/{messageId}", Get).WithSummary("A message's state and every transition with the SMTP replies.");
        messages.MapPost("/{messageId}/retry", Retry).RequireAuthorization(CurrentUser.AdministratorPolicy)
            .WithSummary("Queues a failed, deferred, held or cancelled message again, due now.");
        messages.MapPost("/{messageId}/cancel", Cancel).RequireAuthorization(CurrentUser.AdministratorPolicy)
            .WithSummary("Cancels a queued, deferred or held message.");

        app.MapPost("/api/settings/global/test-message", GlobalTestMessage).WithTags("Settings")
            .RequireAuthorization(CurrentUser.AdministratorPolicy).WithSummary("Queues a test message through the global profile, at top priority.");
        app.MapPost("/api/users/{userId}/test-message", UserTestMessage).WithTags("Settings")
            .RequireAuthorization().WithSummary("Queues a test message through a user's effective settings, at top priority.");
        return app;
    }

    private static async Task<IResult> Submit(SubmitMessageInput input, MessageSubmissionService submission, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        var sender = input.SenderUserId ?? (caller.IsAdministrator() ? null : caller.Id());
        if (!caller.IsAdministrator() && sender != caller.Id())
            return ApiProblems.Validation(context, "senderUserId", "message.sender.forbidden", input.SenderUserId);
        var (attachments, attachmentIssues) = DecodeAttachments(input.Attachments);
        if (attachmentIssues.Count > 0) return ApiProblems.Validation(context, attachmentIssues);
        var draft = new MessageDraft
        {
            SenderUserId = sender,
            To = input.To ?? [],
            Cc = input.Cc ?? [],
            Bcc = input.Bcc ?? [],
            Subject = input.Subject ?? "",
            TextBody = input.Text,
            HtmlBody = input.Html,
            Attachments = attachments,
            IdempotencyKey = input.IdempotencyKey ?? NullIfEmpty(context.Request.Headers["Idempotency-Key"].ToString()),
            SendAfter = input.SendAfter,
            Priority = input.Priority ?? MessagePriority.Notification,
        };
        return await AcceptAsync(submission, draft, context, ct);
    }

    private static async Task<IResult> AcceptAsync(MessageSubmissionService submission, MessageDraft draft, HttpContext context, CancellationToken ct) =>
        Accepted(await submission.SubmitAsync(draft, ct), context);


    private static IResult Accepted(SubmitOutcome outcome, HttpContext context)
    {
        if (!outcome.Accepted) return ApiProblems.Validation(context, outcome.Issues);
        var result = outcome.Result!;
        return TypedResults.Accepted($"/api/messages/{result.Id}",
            new MessageAcceptedView(result.Id, result.Status, result.Duplicate, Messages.Format("message.queued", context.Language())));
    }

    private static async Task<IResult> Get(string messageId, IMessageQueueStorage queue, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        var message = await queue.GetAsync(messageId, ct);
        if (message is null || !MayRead(caller, message)) return NotFound(context, messageId);
        return TypedResults.Ok(MessageView.From(message, await queue.GetHistoryAsync(messageId, ct)));
    }

    private static async Task<IResult> List(IMessageQueueStorage queue, HttpContext context, ClaimsPrincipal caller, string? status, string? senderUserId, int? limit, string? cursor, CancellationToken ct)
    {
        MessageStatus? parsed = null;
        if (status is not null && (parsed = MessageStatuses.Parse(status)) is null)
            return ApiProblems.Validation(context, "status", "request.wrongType", status);
        if (!caller.IsAdministrator())
        {
            if (senderUserId is not null && senderUserId != caller.Id()) return ApiProblems.Forbidden(context);
            senderUserId = caller.Id();
        }
        var page = await queue.ListAsync(parsed, senderUserId, Math.Clamp(limit ?? 50, 1, 500), cursor, ct);
        return TypedResults.Ok(new MessageListView(page.Items.Select(m => MessageView.From(m, null)).ToArray(), page.NextCursor));
    }

    private static async Task<IResult> Stats(IMessageQueueStorage queue, CancellationToken ct) =>
        TypedResults.Ok((await queue.CountByStatusAsync(ct)).ToDictionary(c => c.Key.Name(), c => c.Value));

    private static async Task<IResult> Retry(string messageId, MessageActionInput? input, IMessageQueueStorage queue, QueueSignal signal, TimeProvider clock, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        var message = await queue.GetAsync(messageId, ct);
        if (message is null) return NotFound(context, messageId);
        if (!await queue.RetryAsync(messageId, input?.Reason ?? $"Sent again by {caller.Id()}.", clock.GetUtcNow(), ct))
            return Conflict(context, "message.cannotRetry", message.Status);
        signal.Notify();
        return TypedResults.Ok(MessageView.From((await queue.GetAsync(messageId, ct))!, await queue.GetHistoryAsync(messageId, ct)));
    }

    private static async Task<IResult> Cancel(string messageId, MessageActionInput? input, IMessageQueueStorage queue, TimeProvider clock, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        var message = await queue.GetAsync(messageId, ct);
        if (message is null) return NotFound(context, messageId);
        if (!await queue.CancelAsync(messageId, input?.Reason ?? $"Cancelled by {caller.Id()}.", clock.GetUtcNow(), ct))
            return Conflict(context, "message.cannotCancel", message.Status);
        return TypedResults.Ok(MessageView.From((await queue.GetAsync(messageId, ct))!, await queue.GetHistoryAsync(messageId, ct)));
    }

    private static Task<IResult> GlobalTestMessage(TestMessageInput input, MessageSubmissionService submission, HttpContext context, CancellationToken ct) =>
        TestMessageAsync(null, input, submission, context, ct);

    private static async Task<IResult> UserTestMessage(string userId, TestMessageInput input, MessageSubmissionService submission, IUserStore users, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (await SettingsApi.CheckAccessAsync(userId, users, context, caller, ct) is { } denied) return denied;
        return await TestMessageAsync(userId, input, submission, context, ct);
    }

    private static async Task<IResult> TestMessageAsync(string? senderUserId, TestMessageInput input, MessageSubmissionService submission, HttpContext context, CancellationToken ct)
    {
        var (attachments, issues) = DecodeAttachments(input.Attachment is null ? null : [input.Attachment]);
        if (issues.Count > 0) return ApiProblems.Validation(context, issues);
        var outcome = await submission.SubmitTestMessageAsync(senderUserId, input.To, input.Subject, input.Body, attachments, context.Language(), ct);
        return Accepted(outcome, context);
    }

    internal static (IReadOnlyList<MessageAttachment> Attachments, List<ValidationIssue> Issues) DecodeAttachments(IReadOnlyList<AttachmentInput>? inputs)
    {
        var attachments = new List<MessageAttachment>();
        var issues = new List<ValidationIssue>();
        for (var i = 0; i < (inputs?.Count ?? 0); i++)
        {
            var a = inputs![i];
            try
            {
                attachments.Add(new MessageAttachment(a.FileName ?? "", a.ContentType ?? "application/octet-stream", Convert.FromBase64String(a.ContentBase64 ?? "")));
            }
            catch (FormatException)
            {
                issues.Add(new ValidationIssue($"attachments[{i}].contentBase64", "message.attachment.notBase64", IssueSeverity.Error));
            }
        }
        return (attachments, issues);
    }

    // A user who may not read a message is told it does not exist: ids are not to be probed.
    private static bool MayRead(ClaimsPrincipal caller, QueuedMessage message) =>
        caller.IsAdministrator() || message.Draft.SenderUserId == caller.Id();

    private static IResult NotFound(HttpContext context, string messageId) =>
        ApiProblems.NotFound(context, "message.notFound", new Dictionary<string, object?> { ["value"] = messageId });

    private static IResult Conflict(HttpContext context, string code, MessageStatus status) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
            title: Messages.Format(code, context.Language(), new Dictionary<string, object?> { ["status"] = status.Name() }),
            extensions: new Dictionary<string, object?> { ["code"] = code });

    private static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;
}
