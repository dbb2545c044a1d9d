using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Mailroom.Storage.Sqlite;

/// <summary>
/// Group commit for the queue's writes. SQLite has one writer at a time: writers on separate
/// connections wait for each other in the busy handler, which sleeps in steps of milliseconds, and
/// each pays for its own commit. Here the writes run one after another on one connection instead,
/// and the writes that are waiting at the same moment share one transaction — each inside its own
/// savepoint, so a write that throws is undone alone — and every caller's result is released only
/// after that shared transaction has committed. Durability per caller is unchanged: an answer
/// still means "committed", and with <c>synchronous = FULL</c> (the default, see
/// <see cref="SqliteDatabase(string, bool)"/>) "flushed to disk" — one flush for the whole group,
/// where separate commits would each pay their own.
/// </summary>
public sealed class SqliteGroupCommit
{
    /// <summary>At most this many writes share one transaction, so one commit never waits on an endless stream.</summary>
    public const int MaxWritesPerCommit = 256;

    // The writer's connection: a page cache of 8 MB instead of 2 MB (the queue's index pages stay in
    // memory instead of being read back from the file for every insert) and a checkpoint every
    // ~40 MB of log instead of every 4 MB, so the pages a stream of writes keeps changing are copied
    // to the database file less often. Measured on a mailing's 100,000 rows (bench/README.md): less
    // CPU per row, mostly in the kernel. (A 32 MB cache saved no more and, kept by pooled
    // connections that later serve readers, raised the server's peak memory by 150 MB.)
    private const string WriterPragmas = "PRAGMA cache_size = -8192; PRAGMA wal_autocheckpoint = 10000;";

    // Back to SQLite's default cache before the connection returns to the pool, where a reader may
    // take it next: the larger cache serves the writes' transactions, not every pooled connection.
    private static async Task ResetAsync(SqliteConnection connection)
    {
        try
        {
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA cache_size = -2000;";
            await pragma.ExecuteNonQueryAsync();
        }
        catch (SqliteException)
        {
            // The connection is broken anyway; disposing it is all that is left.
        }
    }

    private readonly SqliteDatabase _database;
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> _loop;

    /// <summary>Writes to <paramref name="database"/>.</summary>
    public SqliteGroupCommit(SqliteDatabase database)
    {
        _database = database;
        _loop = new Lazy<Task>(() => Task.Run(RunAsync));
    }

    /// <summary>
    /// Runs <paramref name="write"/> inside a transaction shared with the writes queued beside it
    /// and returns its result once that transaction has committed. <paramref name="write"/> must use
    /// the connection and transaction it is given and nothing else.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before the write started.</exception>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite<T>(write, cancellationToken);
        if (!_writes.Writer.TryWrite(pending)) throw new InvalidOperationException("The SQLite writer has stopped.");
        _ = _loop.Value;
        return pending.Result;
    }

    private async Task RunAsync()
    {
        var reader = _writes.Reader;
        var batch = new List<PendingWrite>(MaxWritesPerCommit);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            SqliteConnection connection;
            try
            {
                connection = await _database.OpenAsync();
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = WriterPragmas;
                await pragma.ExecuteNonQueryAsync();
            }
            catch (Exception error)
            {
                // No connection: the writes waiting now fail with the reason instead of waiting forever.
                while (reader.TryRead(out var pending)) pending.FailAndPublish(error);
                continue;
            }
            try
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
                // Keep taking writes while they arrive: the ones queued during this batch's work share its commit.
                while (batch.Count < MaxWritesPerCommit && reader.TryRead(out var pending))
                {
                    if (pending.CancelIfRequested()) continue;
                    batch.Add(pending);
                    transaction.Save("w");
                    try
                    {
                        await pending.ExecuteAsync(connection, transaction);
                        transaction.Release("w");
                    }
                    catch (Exception error)
                    {
                        transaction.Rollback("w");
                        transaction.Release("w");
                        pending.Fail(error);
                    }
                }
                await transaction.CommitAsync();
                foreach (var pending in batch) pending.Publish();
            }
            catch (Exception error)
            {
                // The commit failed: none of this batch is stored, whatever each write returned.
                foreach (var pending in batch) pending.FailAndPublish(error);
            }
            finally
            {
                await ResetAsync(connection);
                await connection.DisposeAsync();
            }
        }
    }

    private abstract class PendingWrite
    {
        public abstract bool CancelIfRequested();

        public abstract Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction);

        public abstract void Fail(Exception error);

        public abstract void Publish();

        public abstract void FailAndPublish(Exception error);
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _value;
        private Exception? _error;

        public Task<T> Result => _result.Task;

        public override bool CancelIfRequested()
        {
            if (!cancellationToken.IsCancellationRequested) return false;
            _result.TrySetCanceled(cancellationToken);
            return true;
        }

        public override async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction) =>
            _value = await write(connection, transaction);

        public override void Fail(Exception error) => _error ??= error;

        public override void Publish()
        {
            if (_error is not null) _result.TrySetException(_error);
            else _result.TrySetResult(_value!);
        }

        public override void FailAndPublish(Exception error)
        {
            _error = error;
            Publish();
        }
    }
}
