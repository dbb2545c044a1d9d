using Mailroom.Core.Mail;
using Mailroom.Core.Queue;

namespace Mailroom.Client;

/// <summary>An attachment in a submission: the content as base64.</summary>
public sealed record AttachmentInput(string? FileName, string? ContentType, string? ContentBase64);

/// <summary>Body of POST /api/messages.</summary>
/// <param name="SenderUserId">The user to send as; absent: the caller (a user) or the global profile (an administrator).</param>
/// <param name="To">Recipients shown in To.</param>
/// <param name="Cc">Recipients shown in Cc.</param>
/// <param name="Bcc">Hidden recipients.</param>
/// <param name="Subject">One line.</param>
/// <param name="Text">Plain-text body.</param>
/// <param name="Html">HTML body.</param>
/// <param name="Attachments">Files, base64.</param>
/// <param name="IdempotencyKey">A repeated key returns the first message (also accepted as the Idempotency-Key header).</param>
/// <param name="SendAfter">Not sent before this time.</param>
/// <param name="Priority">test, notification (default) or bulk.</param>
public sealed record SubmitMessageInput(
    string? SenderUserId,
    IReadOnlyList<string>? To,
    IReadOnlyList<string>? Cc,
    IReadOnlyList<string>? Bcc,
    string? Subject,
    string? Text,
    string? Html,
    IReadOnlyList<AttachmentInput>? Attachments,
    string? IdempotencyKey,
    DateTimeOffset? SendAfter,
    MessagePriority? Priority);

/// <summary>The answer to a submission (202).</summary>
public sealed record MessageAcceptedView(string Id, MessageStatus Status, bool Duplicate, string Message);

/// <summary>An attachment as listed (content not repeated).</summary>
public sealed record AttachmentView(string FileName, string ContentType, long Size);

/// <summary>A message as the API shows it.</summary>
public sealed record MessageView(
    string Id, string? SenderUserId, MessageStatus Status, string? StatusReason, MessagePriority Priority, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset NextAttemptAt,
    IReadOnlyList<string> To, IReadOnlyList<string> Cc, IReadOnlyList<string> Bcc, string Subject,
    IReadOnlyList<AttachmentView> Attachments, IReadOnlyList<MessageHistoryEntry>? History)
{
    public static MessageView From(QueuedMessage m, IReadOnlyList<MessageHistoryEntry>? history) => new(
        m.Id, m.Draft.SenderUserId, m.Status, m.StatusReason, m.Draft.Priority, m.Attempts, m.CreatedAt, m.UpdatedAt, m.NextAttemptAt,
        m.Draft.To, m.Draft.Cc, m.Draft.Bcc, m.Draft.Subject,
        m.Draft.Attachments.Select(a => new AttachmentView(a.FileName, a.ContentType, a.Content.LongLength)).ToArray(), history);
}

/// <summary>One page of messages.</summary>
public sealed record MessageListView(IReadOnlyList<MessageView> Items, string? NextCursor);

/// <summary>Body of the test-message endpoints.</summary>
public sealed record TestMessageInput(string? To, string? Subject, string? Body, AttachmentInput? Attachment);

/// <summary>Body of retry and cancel (optional).</summary>
public sealed record MessageActionInput(string? Reason);
