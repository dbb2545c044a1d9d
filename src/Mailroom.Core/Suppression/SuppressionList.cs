namespace Mailroom.Core.Suppression;

/// <summary>An address Mailroom no longer sends to, because mail to it bounced for good.</summary>
/// <param name="Address">The address, trimmed and in lower case (<see cref="SuppressionAddress.Normalize"/>).</param>
/// <param name="Reason">Why, in words a person understands (English).</param>
/// <param name="Status">The DSN's enhanced status code, e.g. 5.1.1.</param>
/// <param name="DiagnosticCode">What the remote server said, when it said anything.</param>
/// <param name="MessageId">The queue message whose bounce suppressed it.</param>
/// <param name="CreatedAt">When.</param>
public sealed record SuppressionEntry(string Address, string Reason, string? Status, string? DiagnosticCode, string? MessageId, DateTimeOffset CreatedAt);

/// <summary>One page of the suppression list; pass <see cref="NextCursor"/> back for the next.</summary>
public sealed record SuppressionPage(IReadOnlyList<SuppressionEntry> Items, string? NextCursor);

/// <summary>How suppressed addresses are compared: trimmed, lower case (mailbox providers treat local parts so in practice).</summary>
public static class SuppressionAddress
{
    /// <summary>The form an address is stored and looked up in.</summary>
    public static string Normalize(string address) => address.Trim().Trim('<', '>').ToLowerInvariant();
}

/// <summary>
/// The suppression list: addresses that hard-bounced. Implemented by each backend and checked by
/// the storage compliance suite.
/// </summary>
public interface ISuppressionStore
{
    /// <summary>Adds <paramref name="entry"/>; false (and the first entry kept) when the address is already suppressed.</summary>
    Task<bool> AddAsync(SuppressionEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The entries among <paramref name="addresses"/> (compared normalised).</summary>
    Task<IReadOnlyList<SuppressionEntry>> FindAsync(IEnumerable<string> addresses, CancellationToken cancellationToken = default);

    /// <summary>Entries ordered by address, optionally only those containing <paramref name="search"/>; <paramref name="cursor"/> from the previous page.</summary>
    Task<SuppressionPage> ListAsync(string? search, int limit, string? cursor, CancellationToken cancellationToken = default);

    /// <summary>Lifts the suppression of <paramref name="address"/>; false when it was not suppressed.</summary>
    Task<bool> RemoveAsync(string address, CancellationToken cancellationToken = default);
}
