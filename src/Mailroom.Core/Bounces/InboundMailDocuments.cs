using Mailroom.Core.Storage;

namespace Mailroom.Core.Bounces;

/// <summary>How both backends store an <see cref="InboundMail"/> row alike: kind names and the recipients document.</summary>
public static class InboundMailDocuments
{
    /// <summary>The stable name of <paramref name="kind"/> ("bounce", "notice", "autoReply", "unparseable").</summary>
    public static string KindName(InboundMailKind kind) => kind switch
    {
        InboundMailKind.Bounce => "bounce",
        InboundMailKind.Notice => "notice",
        InboundMailKind.AutoReply => "autoReply",
        InboundMailKind.Unparseable => "unparseable",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown kind."),
    };

    /// <summary>The kind named <paramref name="name"/>, or null.</summary>
    public static InboundMailKind? ParseKind(string? name) =>
        Enum.GetValues<InboundMailKind>().Cast<InboundMailKind?>().FirstOrDefault(k => KindName(k!.Value) == name);

    /// <summary>A stored row read back.</summary>
    public static InboundMail ToMail(string id, string sourceKey, DateTimeOffset receivedAt, string kind, string? messageId, string? correlatedBy,
        string? from, string? subject, string detail, string recipientsJson, DateTimeOffset? processedAt, byte[]? raw) => new()
    {
        Id = id,
        SourceKey = sourceKey,
        ReceivedAt = receivedAt,
        Kind = ParseKind(kind) ?? InboundMailKind.Unparseable,
        MessageId = messageId,
        CorrelatedBy = correlatedBy,
        From = from,
        Subject = subject,
        Detail = detail,
        Recipients = StoredDocuments.Deserialize<BounceRecipient[]>(recipientsJson) ?? [],
        ProcessedAt = processedAt,
        Raw = raw ?? [],
    };
}
