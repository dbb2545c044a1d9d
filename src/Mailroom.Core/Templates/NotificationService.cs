using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Settings.Validation;

namespace Mailroom.Core.Templates;

/// <summary>A notification from the host application.</summary>
/// <param name="Template">The template's name.</param>
/// <param name="TemplateVersion">A version; null for the newest.</param>
/// <param name="Language">"pl" or "en"; null: the recipient's known language, else the organisation's default.</param>
/// <param name="Recipient">The address.</param>
/// <param name="DataJson">The data as a JSON object.</param>
/// <param name="SenderUserId">The user to send as; null for the global profile.</param>
/// <param name="Attachments">Files to attach.</param>
/// <param name="IdempotencyKey">A repeated key returns the first message.</param>
public sealed record NotificationRequest(
    string? Template, int? TemplateVersion, string? Language, string? Recipient, string? DataJson, string? SenderUserId,
    IReadOnlyList<MessageAttachment> Attachments, string? IdempotencyKey);

/// <summary>Renders a template for one recipient and queues it (through <see cref="MessageSubmissionService"/>, like any message: the sender is checked there, and delivery adds the sender's signature and BCC).</summary>
public sealed class NotificationService(TemplateService templates, MessageSubmissionService submission)
{
    /// <summary>Queues the notification, or says why not (nothing queued); the template version and language used come back with it.</summary>
    public async Task<(SubmitOutcome Outcome, TemplateReference? Template)> SendAsync(NotificationRequest request, CancellationToken cancellationToken = default)
    {
        static (SubmitOutcome, TemplateReference?) Refused(params ValidationIssue[] issues) => (new SubmitOutcome(null, issues), null);
        if (string.IsNullOrWhiteSpace(request.Recipient)) return Refused(TemplateCodes.Issue("recipient", MessageDraftValidator.RecipientsRequired));
        var (language, languageIssue) = await templates.ResolveLanguageAsync(request.Language, request.Recipient, cancellationToken);
        if (languageIssue is not null) return Refused(languageIssue);
        var (compiled, templateIssues) = await templates.CompileAsync(request.Template ?? "", request.TemplateVersion, cancellationToken);
        if (compiled is null) return Refused([.. templateIssues]);
        var (data, dataIssue) = TemplateData.Parse(request.DataJson);
        if (dataIssue is not null) return Refused(dataIssue);

        var (draft, issues) = TemplateService.Compose(compiled, language!, request.Recipient.Trim(), data!, request.SenderUserId,
            request.Attachments, MessagePriority.Notification);
        if (draft is null) return Refused([.. issues]);
        var outcome = await submission.SubmitAsync(draft with { IdempotencyKey = request.IdempotencyKey }, cancellationToken);
        if (outcome.Accepted && request.Language is not null)
            await templates.RememberRecipientLanguageAsync(request.Recipient, language!, cancellationToken);
        return (outcome, draft.Template);
    }
}
