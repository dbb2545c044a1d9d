using Npgsql;

namespace Mailroom.Storage.PostgreSql;

/// <summary>
/// The pooled connections to one PostgreSQL database, shared by the stores of one node. Every
/// node of a deployment points at the same database; PostgreSQL is what they coordinate through.
/// </summary>
public sealed class PostgreSqlDatabase : IAsyncDisposable
{
    /// <summary>The channel <c>NOTIFY</c>ed when a message becomes due now, so idle nodes wake at once.</summary>
    public const string QueueChannel = "mailroom_queue";

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Uses <paramref name="connectionString"/> (an Npgsql connection string).</summary>
    /// <exception cref="ArgumentException">The connection string does not parse.</exception>
    public PostgreSqlDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Names the node's sessions in pg_stat_activity, unless the operator named them.
        builder.ApplicationName ??= "mailroom";
        ConnectionString = builder.ConnectionString;
        Description = $"{builder.Host}:{builder.Port}/{builder.Database}";
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <summary>The connection string with Mailroom's defaults applied.</summary>
    public string ConnectionString { get; }

    /// <summary>"host:port/database", for messages (never the password).</summary>
    public string Description { get; }

    /// <summary>An open pooled connection.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// A connection outside the pool, for sessions that hold state for long (LISTEN, session
    /// advisory locks): closing it really ends the session, so nothing lingers in the pool.
    /// </summary>
    public async Task<NpgsqlConnection> OpenDedicatedAsync(CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, KeepAlive = 15 };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Closes the pool.</summary>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
