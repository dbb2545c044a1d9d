using Mailroom.Core.Mail;
using Mailroom.Core.Settings.Validation;
using Mailroom.Core.Storage;
using Mailroom.Core.Templates;

namespace Mailroom.Core.Mailings;

/// <summary>What every backend stores alike for mailings: state names, the allowed transitions, a bad row's reason.</summary>
public static class MailingDocuments
{
    /// <summary>The state as stored and shown (<c>feeding</c>, <c>running</c>, …).</summary>
    public static string StateName(MailingState state) => state.ToString().ToLowerInvariant();

    /// <summary>A stored state read back.</summary>
    public static MailingState ParseState(string name) => Enum.Parse<MailingState>(name, ignoreCase: true);

    /// <summary>
    /// For a move to <paramref name="to"/>: the mailing states it may come from, the message statuses
    /// that move with it, and the status they move to.
    /// </summary>
    public static (string[] From, string[] MessagesFrom, MessageStatus MessagesTo) Transition(MailingState to) => to switch
    {
        MailingState.Paused => (["feeding", "running"], ["queued", "deferred"], MessageStatus.Held),
        MailingState.Running => (["paused"], ["held"], MessageStatus.Queued),
        MailingState.Cancelled => (["feeding", "running", "paused"], ["queued", "deferred", "held"], MessageStatus.Cancelled),
        _ => throw new ArgumentOutOfRangeException(nameof(to), to, "A mailing can only be paused, resumed or cancelled."),
    };

    /// <summary>A bad row's arguments as stored (null when none).</summary>
    public static string? SerializeArgs(ValidationIssue? problem) =>
        problem?.Args is { Count: > 0 } args ? StoredDocuments.Serialize(args.ToDictionary(a => a.Key, a => Convert.ToString(a.Value, System.Globalization.CultureInfo.InvariantCulture))) : null;

    /// <summary>
    /// <paramref name="row"/> as a bad row because its message's idempotency key was already used
    /// by the same sender (every backend stores this reason for it; none queues the row).
    /// </summary>
    public static MailingRow KeyAlreadyUsed(MailingRow row) =>
        row with { Draft = null, Problem = TemplateCodes.Issue("idempotencyKey", TemplateCodes.RowIdempotencyKeyUsed, ("value", row.Draft?.IdempotencyKey)) };

    /// <summary>
    /// The rows with every row whose idempotency key its sender used before (<paramref name="usedBefore"/>:
    /// sender id or "" and key) or on an earlier row of the batch turned into a bad row
    /// (<see cref="KeyAlreadyUsed"/>); the same list when there is none.
    /// </summary>
    public static IReadOnlyList<MailingRow> RefuseUsedKeys(IReadOnlyList<MailingRow> rows, IReadOnlySet<(string Sender, string Key)> usedBefore)
    {
        var seen = new HashSet<(string Sender, string Key)>(usedBefore);
        MailingRow[]? refused = null;
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Draft is not { IdempotencyKey: { } key } draft || seen.Add((draft.SenderUserId ?? "", key))) continue;
            refused ??= [.. rows];
            refused[i] = KeyAlreadyUsed(rows[i]);
        }
        return refused ?? rows;
    }
}
