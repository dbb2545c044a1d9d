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
    IMessageQueueStorage queue, IUserStore users, SenderSettingsService settings, QueueSignal signal, TimeProvider clock, MessageLimits limits)
{
    /// <summary>Validates and queues <paramref name="draft"/>; nothing is stored when anything is wrong.</summary>
    public async Task<SubmitOutcome> SubmitAsync(MessageDraft draft, CancellationToken cancellationToken = default)
    {
        var (normalized, issues) = MessageDraftValidator.Validate(draft, limits);
        if (issues.Count > 0) return new SubmitOutcome(null, issues);

        EffectiveSenderSettings sender;
        if (normalized.SenderUserId is { } userId)
        {
            var user = await users.GetAsync(userId, cancellationToken);
            if (user is null) return Refused("senderUserId", "message.sender.notFound", userId);
            sender = await settings.GetEffectiveForUserAsync(user, cancellationToken);
        }
        else
        {
            sender = await settings.GetEffectiveGlobalAsync(cancellationToken);
        }
        if (!sender.Enabled) return Refused("senderUserId", "message.sender.disabled", normalized.SenderUserId);

        var result = await queue.EnqueueAsync(normalized, clock.GetUtcNow(), cancellationToken);
        if (!result.Duplicate) signal.Notify();
        return new SubmitOutcome(result, []);
    }

    private static SubmitOutcome Refused(string field, string code, object? value) =>
        new(null, [new ValidationIssue(field, code, IssueSeverity.Error, new Dictionary<string, object?> { ["value"] = value })]);
}
