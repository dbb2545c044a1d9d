using Mailroom.Core.Mail;

namespace Mailroom.Core.Queue;

/// <summary>
/// The durable queue, in three faces: writes (enqueue, administrator actions), claims (leases
/// for workers; every follow-up is fenced by the lease token, so a worker that lost its lease
/// cannot overwrite its successor) and read-only monitoring. Implemented by each backend and
/// checked by the storage compliance suite.
/// </summary>
public interface IMessageQueueStorage
{
    /// <summary>
    /// Stores <paramref name="draft"/> as Queued, with its attachments and a first history entry,
    /// in one transaction. A draft whose idempotency key was used before stores nothing and
    /// returns the first message.
    /// </summary>
    Task<EnqueueResult> EnqueueAsync(MessageDraft draft, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leases up to <paramref name="max"/> messages that are due (Queued or Deferred with
    /// NextAttemptAt ≤ now, or Sending with an expired lease), best priority first, oldest first;
    /// moves them to Sending with a fresh token and counts the attempt.
    /// </summary>
    Task<IReadOnlyList<ClaimedMessage>> ClaimAsync(string workerId, int max, TimeSpan leaseDuration, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease; false when the token no longer holds it.</summary>
    Task<bool> RenewLeaseAsync(string messageId, string leaseToken, DateTimeOffset newExpiry, CancellationToken cancellationToken = default);

    /// <summary>Records the outcome of an attempt; false (and nothing written) when the token no longer holds the lease.</summary>
    Task<bool> CompleteAsync(string messageId, string leaseToken, MessageTransition transition, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Cancels a Queued, Deferred or Held message; false otherwise.</summary>
    Task<bool> CancelAsync(string messageId, string reason, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Queues a Failed, Deferred, Held or Cancelled message again, due now; false otherwise.</summary>
    Task<bool> RetryAsync(string messageId, string reason, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Moves the Queued and Deferred messages of one sender (null: the global profile) to Held; returns how many.</summary>
    Task<int> HoldSenderAsync(string? senderUserId, string reason, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Queues again, due now, the Held messages of one sender (null: the global profile; <paramref name="allSenders"/>: every sender).</summary>
    Task<int> ReleaseHeldAsync(string? senderUserId, bool allSenders, string reason, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>One message with its draft, or null.</summary>
    Task<QueuedMessage?> GetAsync(string messageId, CancellationToken cancellationToken = default);

    /// <summary>Every transition of one message, oldest first.</summary>
    Task<IReadOnlyList<MessageHistoryEntry>> GetHistoryAsync(string messageId, CancellationToken cancellationToken = default);

    /// <summary>Messages newest first, optionally of one status and/or one sender; <paramref name="cursor"/> from the previous page.</summary>
    Task<MessagePage> ListAsync(MessageStatus? status, string? senderUserId, int limit, string? cursor, CancellationToken cancellationToken = default);

    /// <summary>How many messages are in each status.</summary>
    Task<IReadOnlyDictionary<MessageStatus, int>> CountByStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The monitoring dashboard in one aggregate query (no listing): the counts by status, how many
    /// Sent messages were last updated at or after <paramref name="sentSince"/>, and when the oldest
    /// Queued or Deferred message was created.
    /// </summary>
    Task<QueueSummary> SummarizeAsync(DateTimeOffset sentSince, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records an asynchronous bounce of a Sent (or already Bounced) message: moves it to
    /// <paramref name="transition"/>'s status (Sent or Bounced) with a history entry carrying the
    /// DSN's status and recipients, in one transaction. False (nothing written) when the message
    /// is in any other status or does not exist.
    /// </summary>
    Task<bool> RecordBounceAsync(string messageId, MessageTransition transition, DateTimeOffset now, CancellationToken cancellationToken = default);
}
