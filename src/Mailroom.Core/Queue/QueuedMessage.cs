using Mailroom.Core.Mail;

namespace Mailroom.Core.Queue;

/// <summary>A message in the queue: its draft plus where it is.</summary>
public sealed record QueuedMessage
{
    public required string Id { get; init; }
    public required MessageDraft Draft { get; init; }
    public required MessageStatus Status { get; init; }

    /// <summary>Why it is in this status (the last history entry's reason).</summary>
    public string? StatusReason { get; init; }

    /// <summary>Delivery attempts so far.</summary>
    public int Attempts { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Not claimed before this time (send-after, or the next retry).</summary>
    public required DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>When the current lease ends; only while <see cref="MessageStatus.Sending"/>.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }
}

/// <summary>A message a worker holds a lease on. Every follow-up write must present <see cref="LeaseToken"/>.</summary>
public sealed record ClaimedMessage(QueuedMessage Message, string LeaseToken);

/// <summary>The answer to an enqueue.</summary>
/// <param name="Id">The message's id (the first message's, for a repeated idempotency key).</param>
/// <param name="Status">Its current status.</param>
/// <param name="Duplicate">True when the idempotency key had been used: nothing new was queued.</param>
public sealed record EnqueueResult(string Id, MessageStatus Status, bool Duplicate);

/// <summary>Where a delivery attempt leaves a message.</summary>
/// <param name="Status">Sent, Deferred, Failed, Held or Captured.</param>
/// <param name="Reason">Why, for the history.</param>
/// <param name="NextAttemptAt">For Deferred: when to try again.</param>
/// <param name="Reply">The SMTP reply behind it.</param>
/// <param name="Recipients">Per-recipient outcomes.</param>
public sealed record MessageTransition(
    MessageStatus Status, string Reason, DateTimeOffset? NextAttemptAt = null, SmtpReply? Reply = null, IReadOnlyList<RecipientOutcome>? Recipients = null);

/// <summary>What <see cref="IMessageQueueStorage.SummarizeAsync"/> counts.</summary>
/// <param name="Counts">How many messages are in each status (every status present, zero when none).</param>
/// <param name="SentSince">Sent messages last updated at or after the time asked for (sent then).</param>
/// <param name="OldestWaitingCreatedAt">When the oldest Queued or Deferred message was created; null when none waits.</param>
public sealed record QueueSummary(IReadOnlyDictionary<MessageStatus, int> Counts, int SentSince, DateTimeOffset? OldestWaitingCreatedAt);

/// <summary>One page of a listing; pass <see cref="NextCursor"/> back for the next.</summary>
public sealed record MessagePage(IReadOnlyList<QueuedMessage> Items, string? NextCursor);
