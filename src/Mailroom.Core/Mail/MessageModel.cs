using System.Text.Json.Serialization;

namespace Mailroom.Core.Mail;

/// <summary>Which messages go first when several wait: a test message before notifications before bulk mail.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MessagePriority>))]
public enum MessagePriority
{
    /// <summary>A test message someone is waiting for on the settings page.</summary>
    [JsonStringEnumMemberName("test")] Test = 0,

    /// <summary>A notification from the host application (the default).</summary>
    [JsonStringEnumMemberName("notification")] Notification = 1,

    /// <summary>Mass mailing.</summary>
    [JsonStringEnumMemberName("bulk")] Bulk = 2,
}

/// <summary>A file attached to a message.</summary>
/// <param name="FileName">The name the recipient sees.</param>
/// <param name="ContentType">MIME type, e.g. <c>application/pdf</c>.</param>
/// <param name="Content">The bytes.</param>
public sealed record MessageAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>
/// A message as the host application submitted it, after validation. The sender's settings are
/// not part of it: they are resolved at delivery time, so a settings fix helps queued mail.
/// </summary>
public sealed record MessageDraft
{
    /// <summary>The user the message is sent for; null for the global profile.</summary>
    public string? SenderUserId { get; init; }

    public IReadOnlyList<string> To { get; init; } = [];
    public IReadOnlyList<string> Cc { get; init; } = [];
    public IReadOnlyList<string> Bcc { get; init; } = [];
    public string Subject { get; init; } = "";

    /// <summary>Plain-text body; at least one of the two bodies is set.</summary>
    public string? TextBody { get; init; }

    /// <summary>HTML body.</summary>
    public string? HtmlBody { get; init; }

    public IReadOnlyList<MessageAttachment> Attachments { get; init; } = [];

    /// <summary>A repeated key returns the first message instead of queuing another.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Not sent before this time.</summary>
    public DateTimeOffset? SendAfter { get; init; }

    public MessagePriority Priority { get; init; } = MessagePriority.Notification;

    /// <summary>The template version the message was rendered from, when it was.</summary>
    public Templates.TemplateReference? Template { get; init; }

    /// <summary>Every envelope recipient (To, Cc and Bcc).</summary>
    public IEnumerable<string> AllRecipients => To.Concat(Cc).Concat(Bcc);
}
