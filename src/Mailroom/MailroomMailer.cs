using Mailroom.Core.Mail;
using Mailroom.Core.Queue;

namespace Mailroom.Hosting;

/// <summary>
/// Mail from a host application in-process: submit a message to the durable queue and follow it.
/// The same validation, idempotency and queue as <c>POST /api/messages</c>; registered by
/// <see cref="MailroomServiceCollectionExtensions.AddMailroom"/>.
/// </summary>
public sealed class MailroomMailer(MessageSubmissionService submission, IMessageQueueStorage queue)
{
    /// <summary>
    /// Validates and queues <paramref name="draft"/> (stored durably before this returns).
    /// When refused, <see cref="SubmitOutcome.Issues"/> name each field; nothing is stored.
    /// </summary>
    public Task<SubmitOutcome> SubmitAsync(MessageDraft draft, CancellationToken cancellationToken = default) =>
        submission.SubmitAsync(draft, cancellationToken);

    /// <summary>The message's current state, attempts and next attempt; null when there is no such message.</summary>
    public Task<QueuedMessage?> GetAsync(string messageId, CancellationToken cancellationToken = default) =>
        queue.GetAsync(messageId, cancellationToken);

    /// <summary>Every transition of the message, oldest first, with the SMTP replies.</summary>
    public Task<IReadOnlyList<MessageHistoryEntry>> GetHistoryAsync(string messageId, CancellationToken cancellationToken = default) =>
        queue.GetHistoryAsync(messageId, cancellationToken);
}
