using Mailroom.Core.Queue;
using Npgsql;

namespace Mailroom.Storage.PostgreSql;

/// <summary>
/// <c>LISTEN</c>s on <see cref="PostgreSqlDatabase.QueueChannel"/>, which the queue storage
/// <c>NOTIFY</c>s whenever a message becomes due now, on any node. Uses a connection of its own,
/// outside the pool, for as long as it listens.
/// </summary>
public sealed class PostgreSqlQueueWakeups(PostgreSqlDatabase database) : IQueueWakeupSource
{
    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The connection was lost; call again to listen again.</exception>
    public async Task ListenAsync(Action onMailDue, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenDedicatedAsync(cancellationToken);
        connection.Notification += (_, _) => onMailDue();
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgreSqlDatabase.QueueChannel}", connection))
            await listen.ExecuteNonQueryAsync(cancellationToken);
        // Whatever was announced while we were not listening is found by this one look.
        onMailDue();
        try
        {
            while (true) await connection.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
