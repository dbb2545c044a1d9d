using Mailroom.Core.Mail;

namespace Mailroom.Core.Bounces;

/// <summary>
/// A message read from the bounce mailbox, kept whatever it was: the raw bytes, what it was
/// found to be, and which queue message it was about.
/// </summary>
public sealed record InboundMail
{
    /// <summary>Mailroom's id (UUIDv7, sorts by arrival).</summary>
    public required string Id { get; init; }

    /// <summary>Where it came from, unique: <c>&lt;folder&gt;/&lt;UIDVALIDITY&gt;/&lt;UID&gt;</c> for IMAP.</summary>
    public required string SourceKey { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }
    public required InboundMailKind Kind { get; init; }

    /// <summary>The queue message it is about, or null when it could not be matched.</summary>
    public string? MessageId { get; init; }

    /// <summary>"verp", "envid", "messageId", or null.</summary>
    public string? CorrelatedBy { get; init; }

    public string? From { get; init; }
    public string? Subject { get; init; }

    /// <summary>Why it was classified so, and what was done, in English.</summary>
    public required string Detail { get; init; }

    /// <summary>The recipient blocks of a bounce or notice.</summary>
    public IReadOnlyList<BounceRecipient> Recipients { get; init; } = [];

    /// <summary>The message as received (RFC 5322 bytes).</summary>
    public byte[] Raw { get; init; } = [];

    /// <summary>When its effects (bounce, suppression) were applied; null while not yet.</summary>
    public DateTimeOffset? ProcessedAt { get; init; }
}

/// <summary>One page of kept inbound mail, newest first.</summary>
public sealed record InboundMailPage(IReadOnlyList<InboundMail> Items, string? NextCursor);

/// <summary>Everything read from the bounce mailbox. Implemented by each backend; checked by the compliance suite.</summary>
public interface IInboundMailStore
{
    /// <summary>Stores <paramref name="mail"/>; when its <see cref="InboundMail.SourceKey"/> is known, stores nothing and returns the first.</summary>
    Task<InboundMail> AddAsync(InboundMail mail, CancellationToken cancellationToken = default);

    /// <summary>The mail read from <paramref name="sourceKey"/>, or null.</summary>
    Task<InboundMail?> FindBySourceAsync(string sourceKey, CancellationToken cancellationToken = default);

    /// <summary>Records that its effects were applied, with the final <paramref name="detail"/>.</summary>
    Task MarkProcessedAsync(string id, string detail, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>One kept message with its raw bytes, or null.</summary>
    Task<InboundMail?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Kept mail newest first (raw bytes left out), optionally of one kind and/or about one queue message.</summary>
    Task<InboundMailPage> ListAsync(InboundMailKind? kind, string? messageId, int limit, string? cursor, CancellationToken cancellationToken = default);
}
