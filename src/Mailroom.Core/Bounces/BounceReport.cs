using System.Text.Json.Serialization;

namespace Mailroom.Core.Bounces;

/// <summary>What a piece of mail in the bounce mailbox turned out to be.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InboundMailKind>))]
public enum InboundMailKind
{
    /// <summary>A delivery status notification saying at least one recipient failed (Action: failed).</summary>
    [JsonStringEnumMemberName("bounce")] Bounce,

    /// <summary>A delivery status notification with no failure in it (delayed, relayed, delivered): informational.</summary>
    [JsonStringEnumMemberName("notice")] Notice,

    /// <summary>An automatic reply (out of office, vacation): never counted as a bounce.</summary>
    [JsonStringEnumMemberName("autoReply")] AutoReply,

    /// <summary>Nothing Mailroom could read as a bounce or an automatic reply; kept for a person to look at.</summary>
    [JsonStringEnumMemberName("unparseable")] Unparseable,
}

/// <summary>One recipient's block of a delivery status notification (RFC 3464 §2.3).</summary>
/// <param name="Address">Final-Recipient (or Original-Recipient) without its address type.</param>
/// <param name="Action">failed, delayed, delivered, relayed or expanded (lower case).</param>
/// <param name="Status">The enhanced status code, e.g. 5.1.1, or null.</param>
/// <param name="DiagnosticCode">Diagnostic-Code without its type (the remote server's words), or null.</param>
/// <param name="RemoteMta">Remote-MTA without its type, or null.</param>
public sealed record BounceRecipient(string Address, string Action, string? Status, string? DiagnosticCode, string? RemoteMta)
{
    /// <summary>True when this recipient did not get the message and never will from this attempt.</summary>
    public bool IsFailure => Action == "failed";

    /// <summary>True for a permanent failure (status class 5): the address is suppressed.</summary>
    public bool IsHardBounce => IsFailure && Status is { } status && status.StartsWith("5.", StringComparison.Ordinal);
}

/// <summary>A message from the bounce mailbox, read.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Recipients">The per-recipient blocks (empty unless a bounce or a notice).</param>
/// <param name="VerpMessageId">The queue id found in a VERP address the mail was sent to, or null.</param>
/// <param name="EnvelopeId">The DSN's Original-Envelope-Id (Mailroom sends the queue id), or null.</param>
/// <param name="OriginalMessageId">The queue id read from the returned message's Message-ID, or null.</param>
/// <param name="Detail">Why it was classified so, in English, for the operator.</param>
public sealed record BounceReport(
    InboundMailKind Kind, IReadOnlyList<BounceRecipient> Recipients, string? VerpMessageId, string? EnvelopeId, string? OriginalMessageId, string Detail)
{
    /// <summary>The queue message this mail is about: VERP first, then ENVID, then the original Message-ID.</summary>
    public string? CorrelatedMessageId => VerpMessageId ?? EnvelopeId ?? OriginalMessageId;

    /// <summary>How the message was found: "verp", "envid", "messageId", or null.</summary>
    public string? CorrelatedBy => VerpMessageId is not null ? "verp" : EnvelopeId is not null ? "envid" : OriginalMessageId is not null ? "messageId" : null;

    /// <summary>The recipients that failed.</summary>
    public IEnumerable<BounceRecipient> Failures => Recipients.Where(r => r.IsFailure);
}
