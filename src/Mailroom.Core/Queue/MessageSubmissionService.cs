using Mailroom.Core.Mail;
using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Queue;

/// <summary>The answer to a submission: queued (or found by its idempotency key), or refused with the reasons.</summary>
public sealed record SubmitOutcome(EnqueueResult? Result, IReadOnlyList<ValidationIssue> Issues)
{
    /// <summary>True when the message is in the queue.</summary>
    public bool Accepted => Result is not null;
}

/// <summary>
/// Takes a message from the host application into the durable queue: validated, checked
/// against the sender (exists, sending enabled), stored in one transaction, workers woken.
/// Shared by the HTTP API, the CLI and the in-process library.
/// </summary>
public sealed class MessageSubmissionService(
    IMessageQueueStorage queue, SenderSettingsService settings, QueueSignal signal, TimeProvider clock, MessageLimits limits,
    Suppression.ISuppressionStore? suppressions = null)
{
    /// <summary>The code of the refusal for a recipient on the suppression list.</summary>
    public const string RecipientSuppressed = "message.recipient.suppressed";

    /// <summary>
    /// Queues a test message at top priority through <paramref name="senderUserId"/>'s effective
    /// settings (null: the global profile); an empty subject or body gets the standard sentence in
    /// <paramref name="language"/>. Used by the "Send a test message" section of the API and the UI.
    /// </summary>
    public Task<SubmitOutcome> SubmitTestMessageAsync(string? senderUserId, string? to, string? subject, string? body,
        IReadOnlyList<MessageAttachment> attachments, string language, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(to))
            return Task.FromResult(Refused("to", "testMessage.recipientRequired", null));
        var draft = new MessageDraft
        {
            SenderUserId = senderUserId,
            To = [to],
            Subject = string.IsNullOrWhiteSpace(subject) ? Localization.Messages.Format("testMessage.defaultSubject", language) : subject,
            TextBody = string.IsNullOrWhiteSpace(body) ? Localization.Messages.Format("testMessage.defaultBody", language) : body,
            Attachments = attachments,
            Priority = MessagePriority.Test,
        };
        return SubmitAsync(draft, cancellationToken);
    }

    /// <summary>Validates and queues <paramref name="draft"/>; nothing is stored when anything is wrong.</summary>
    public async Task<SubmitOutcome> SubmitAsync(MessageDraft draft, CancellationToken cancellationToken = default)
    {
        var (normalized, issues) = MessageDraftValidator.Validate(draft, limits);
        if (issues.Count > 0) return new SubmitOutcome(null, issues);

        if ((await settings.GetSendingSenderAsync(normalized.SenderUserId, cancellationToken)).Issue is { } senderIssue) return new SubmitOutcome(null, [senderIssue]);
        if (await SuppressedRecipientsAsync(normalized, cancellationToken) is { Count: > 0 } suppressed) return new SubmitOutcome(null, suppressed);

        var result = await queue.EnqueueAsync(normalized, clock.GetUtcNow(), cancellationToken);
        if (!result.Duplicate) signal.Notify();
        return new SubmitOutcome(result, []);
    }

    // Fail fast at submit: a suppressed address bounced for good, so the message is refused whole
    // (nothing queued) with the address, the field it is in and the bounce's status named.
    private async Task<List<ValidationIssue>> SuppressedRecipientsAsync(MessageDraft draft, CancellationToken cancellationToken)
    {
        if (suppressions is null) return [];
        var found = (await suppressions.FindAsync(draft.AllRecipients, cancellationToken))
            .ToDictionary(entry => entry.Address, StringComparer.OrdinalIgnoreCase);
        if (found.Count == 0) return [];
        var issues = new List<ValidationIssue>();
        foreach (var (field, addresses) in new[] { ("to", draft.To), ("cc", draft.Cc), ("bcc", draft.Bcc) })
        {
            foreach (var address in addresses)
            {
                if (found.TryGetValue(Suppression.SuppressionAddress.Normalize(address), out var entry))
                    issues.Add(new ValidationIssue(field, RecipientSuppressed, IssueSeverity.Error,
                        new Dictionary<string, object?> { ["value"] = address, ["status"] = entry.Status ?? "5.0.0" }));
            }
        }
        return issues;
    }

    private static SubmitOutcome Refused(string field, string code, object? value) =>
        new(null, [new ValidationIssue(field, code, IssueSeverity.Error, new Dictionary<string, object?> { ["value"] = value })]);
}
