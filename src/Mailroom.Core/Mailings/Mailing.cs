using System.Text.Json.Serialization;
using Mailroom.Core.Mail;
using Mailroom.Core.Settings.Validation;

namespace Mailroom.Core.Mailings;

/// <summary>Where a mailing stands. "Completed" is not a state: it is read from the messages (none left to send).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MailingState>))]
public enum MailingState
{
    /// <summary>Recipients are being read into the queue.</summary>
    [JsonStringEnumMemberName("feeding")] Feeding,

    /// <summary>Every recipient is queued; delivery goes on.</summary>
    [JsonStringEnumMemberName("running")] Running,

    /// <summary>Its waiting messages are held until it is resumed.</summary>
    [JsonStringEnumMemberName("paused")] Paused,

    /// <summary>Its waiting messages were cancelled.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}

/// <summary>A mass mailing: one template version sent to many recipients through one sender.</summary>
public sealed record Mailing
{
    /// <summary>Identifier (UUIDv7, hex).</summary>
    public required string Id { get; init; }

    /// <summary>A name for people (defaults to the template's name and the date).</summary>
    public required string Name { get; init; }

    /// <summary>The template's name.</summary>
    public required string TemplateName { get; init; }

    /// <summary>The template version every message is rendered from.</summary>
    public required int TemplateVersion { get; init; }

    /// <summary>The language for rows that name none.</summary>
    public required string Language { get; init; }

    /// <summary>The user the mail is sent as.</summary>
    public required string SenderUserId { get; init; }

    /// <summary>Who started it.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>When it was started.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Where it stands.</summary>
    public required MailingState State { get; init; }

    /// <summary>Rows read so far (all of them once feeding is over), bad rows included.</summary>
    public int TotalRows { get; init; }
}

/// <summary>One recipient row after reading and rendering: a draft to queue, or the reason it cannot be sent.</summary>
/// <param name="Row">1-based row number (data rows; a CSV's header is not counted).</param>
/// <param name="Address">The recipient as given (may be invalid or null).</param>
/// <param name="Draft">The message to queue, when the row is good.</param>
/// <param name="Problem">Why the row is not sent, when it is bad.</param>
public sealed record MailingRow(int Row, string? Address, MessageDraft? Draft, ValidationIssue? Problem);

/// <summary>A mailing's counts: its messages per status, the bad rows and how many were sent recently.</summary>
/// <param name="ByStatus">Messages per status.</param>
/// <param name="Rejected">Bad rows (never queued).</param>
/// <param name="SentSince">Messages sent at or after the time asked for (for the rate).</param>
public sealed record MailingCounts(IReadOnlyDictionary<MessageStatus, int> ByStatus, int Rejected, int SentSince);

/// <summary>One line of the per-recipient report.</summary>
public sealed record MailingReportRow(
    int Row, string? Address, string? MessageId, MessageStatus? Status, string? StatusReason, DateTimeOffset? UpdatedAt,
    string? ProblemField, string? ProblemCode, string? ProblemArgsJson);

/// <summary>Mailings, their rows and their messages. Implemented by each backend.</summary>
public interface IMailingStore
{
    /// <summary>Stores a new mailing (no rows yet).</summary>
    Task CreateAsync(Mailing mailing, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores one batch of rows in ONE transaction: each good row's message is queued (with its
    /// attachments and history) and linked to its row; each bad row is stored with its reason.
    /// When the mailing is paused, the new messages are held instead of queued.
    /// </summary>
    Task AppendAsync(string mailingId, IReadOnlyList<MailingRow> rows, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Records the number of rows read and moves a feeding mailing to running.</summary>
    Task FinishFeedingAsync(string mailingId, int totalRows, CancellationToken cancellationToken = default);

    /// <summary>One mailing, or null.</summary>
    Task<Mailing?> GetAsync(string mailingId, CancellationToken cancellationToken = default);

    /// <summary>Mailings newest first, optionally of one sender.</summary>
    Task<IReadOnlyList<Mailing>> ListAsync(string? senderUserId, int limit, CancellationToken cancellationToken = default);

    /// <summary>The mailing's counts; <paramref name="sentSince"/> bounds the "sent recently" count.</summary>
    Task<MailingCounts> CountAsync(string mailingId, DateTimeOffset sentSince, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves the mailing to <paramref name="state"/> (Paused, Running or Cancelled) and its waiting
    /// messages with it: Paused holds queued/deferred ones, Running queues held ones again due now,
    /// Cancelled cancels queued/deferred/held ones. Returns the messages moved, or null when the
    /// mailing's current state does not allow it (cancelled is final).
    /// </summary>
    Task<int?> ChangeStateAsync(string mailingId, MailingState state, string reason, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Every row in order with its message's current status, read as a stream (not buffered).</summary>
    IAsyncEnumerable<MailingReportRow> ReadReportAsync(string mailingId, CancellationToken cancellationToken = default);
}
