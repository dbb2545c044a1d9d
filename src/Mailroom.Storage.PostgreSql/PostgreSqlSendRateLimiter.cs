using Dapper;
using Mailroom.Core.Delivery;

namespace Mailroom.Storage.PostgreSql;

/// <summary>
/// Sending caps counted in the database, so they hold across every node: each attempt takes a
/// transaction-level advisory lock on the key (nodes sending as the same account queue up here for
/// a moment), reads the slots still in the windows by the database's clock, and takes one when the
/// caps allow. The arithmetic is <see cref="SendRateLimit.WaitFor"/>, the same as in-process.
/// </summary>
public sealed class PostgreSqlSendRateLimiter(PostgreSqlDatabase database) : ISendRateLimiter
{
    /// <inheritdoc />
    public async Task<TimeSpan> TryTakeAsync(string key, IReadOnlyList<SendRateLimit> limits, CancellationToken cancellationToken = default)
    {
        if (limits.Count == 0) return TimeSpan.Zero;
        var longest = limits.Max(l => l.Window);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var reads = await connection.QueryMultipleAsync(
            """
            SELECT pg_advisory_xact_lock(hashtextextended('mailroom.rate:' || @key, 0));
            DELETE FROM send_rate_slots WHERE key = @key AND at <= clock_timestamp() - @longest;
            SELECT clock_timestamp();
            SELECT at FROM send_rate_slots WHERE key = @key;
            """,
            new { key, longest }, transaction);
        await reads.ReadAsync(); // the lock
        var now = PostgreSqlTime.Read(await reads.ReadSingleAsync<DateTime>());
        var taken = (await reads.ReadAsync<DateTime>()).Select(PostgreSqlTime.Read).ToArray();
        var wait = SendRateLimit.WaitFor(taken, limits, now);
        if (wait == TimeSpan.Zero)
        {
            await connection.ExecuteAsync("INSERT INTO send_rate_slots (key, at) VALUES (@key, @now)",
                new { key, now = now.UtcDateTime }, transaction);
        }
        await transaction.CommitAsync(cancellationToken);
        return wait;
    }
}
