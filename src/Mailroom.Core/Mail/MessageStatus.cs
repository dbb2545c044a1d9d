using System.Text.Json.Serialization;

namespace Mailroom.Core.Mail;

/// <summary>Where a message is in its life.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MessageStatus>))]
public enum MessageStatus
{
    /// <summary>Stored, waiting for a worker (or for its send-after time).</summary>
    [JsonStringEnumMemberName("queued")] Queued,

    /// <summary>Leased by a worker that is delivering it.</summary>
    [JsonStringEnumMemberName("sending")] Sending,

    /// <summary>The server accepted it for at least one recipient. Final.</summary>
    [JsonStringEnumMemberName("sent")] Sent,

    /// <summary>A temporary problem; it will be tried again at its next attempt time.</summary>
    [JsonStringEnumMemberName("deferred")] Deferred,

    /// <summary>A permanent problem, or retries ran out. Final unless an administrator retries it.</summary>
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>Cancelled by an administrator. Final.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,

    /// <summary>Waiting for someone to fix the sender's settings (bad credentials, TLS, plain-text credentials refused).</summary>
    [JsonStringEnumMemberName("held")] Held,

    /// <summary>System sender with no relay configured: written to an .eml file, not delivered. Final.</summary>
    [JsonStringEnumMemberName("captured")] Captured,

    /// <summary>
    /// Accepted by the server, then reported undeliverable by a delivery status notification
    /// (an asynchronous bounce) for every recipient that had accepted it. Final.
    /// </summary>
    [JsonStringEnumMemberName("bounced")] Bounced,
}

/// <summary>Facts about each status.</summary>
public static class MessageStatuses
{
    /// <summary>True when nothing more happens to the message on its own.</summary>
    public static bool IsFinal(this MessageStatus status) =>
        status is MessageStatus.Sent or MessageStatus.Failed or MessageStatus.Cancelled or MessageStatus.Captured or MessageStatus.Bounced;

    /// <summary>Statuses an administrator may cancel from.</summary>
    public static bool IsCancellable(this MessageStatus status) =>
        status is MessageStatus.Queued or MessageStatus.Deferred or MessageStatus.Held;

    /// <summary>The status's stable name ("queued", "sending", …), as in the API and in storage.</summary>
    public static string Name(this MessageStatus status) => status switch
    {
        MessageStatus.Queued => "queued",
        MessageStatus.Sending => "sending",
        MessageStatus.Sent => "sent",
        MessageStatus.Deferred => "deferred",
        MessageStatus.Failed => "failed",
        MessageStatus.Cancelled => "cancelled",
        MessageStatus.Held => "held",
        MessageStatus.Captured => "captured",
        MessageStatus.Bounced => "bounced",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown status."),
    };

    /// <summary>Every status, in life order.</summary>
    public static IReadOnlyList<MessageStatus> All { get; } = Enum.GetValues<MessageStatus>();

    /// <summary>The status named <paramref name="name"/>, or null.</summary>
    public static MessageStatus? Parse(string? name) => All.Cast<MessageStatus?>().FirstOrDefault(s => s!.Value.Name() == name);

    /// <summary>Statuses an administrator may send again from.</summary>
    public static bool IsRetryable(this MessageStatus status) =>
        status is MessageStatus.Failed or MessageStatus.Deferred or MessageStatus.Held or MessageStatus.Cancelled;
}
