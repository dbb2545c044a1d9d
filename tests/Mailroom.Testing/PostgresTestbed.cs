using Npgsql;

namespace Mailroom.Testing;

/// <summary>
/// A private PostgreSQL 15 server (testbed/pg.sh), started once per test process on a free
/// loopback port in a fresh directory under /tmp, and stopped (by PID) and deleted when the
/// process exits — or, should the process die, by the script's watchdog. Each test class (or
/// test) asks for a fresh database of its own with <see cref="CreateDatabaseAsync"/>. Use it
/// from tests marked <see cref="PostgresFactAttribute"/>.
/// </summary>
public sealed class PostgresTestbed
{
    /// <summary>Where Debian's postgresql-15 package puts the server binaries.</summary>
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private static readonly Lazy<PostgresTestbed> LazyInstance = new(StartOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _script;

    private PostgresTestbed(string script, string directory, IReadOnlyDictionary<string, string> env)
    {
        _script = script;
        Directory = directory;
        SuperConnectionString = env["PGTB_SUPER_CONNSTR"];
        Port = int.Parse(env["PGTB_PORT"]);
    }

    /// <summary>The running server; the first call starts it (about 2 s).</summary>
    /// <exception cref="InvalidOperationException">It is not installed or failed to start.</exception>
    public static PostgresTestbed Instance => LazyInstance.Value;

    /// <summary>Why PostgreSQL cannot run here, or null when it can.</summary>
    public static string? UnavailableReason { get; } = FindUnavailableReason();

    /// <summary>The skip reason for PostgreSQL tests: set when unavailable and not on CI (where they fail instead).</summary>
    public static string? SkipReason =>
        UnavailableReason is { } reason && !MailTestbed.IsCi ? $"SKIPPED, POSTGRESQL TEST BED UNAVAILABLE: {reason}" : null;

    /// <summary>The private directory holding the cluster and its log.</summary>
    public string Directory { get; }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The superuser's connection string (database <c>postgres</c>).</summary>
    public string SuperConnectionString { get; }

    /// <summary>Creates an empty database with a unique name; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "mailroom")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(SuperConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(SuperConnectionString) { Database = name }.ConnectionString;
    }

    private static string? FindUnavailableReason()
    {
        if (!OperatingSystem.IsLinux()) return "PostgreSQL test bed runs on Debian/Linux only";
        string[] required = [Path.Combine(BinDirectory, "initdb"), Path.Combine(BinDirectory, "pg_ctl"), Path.Combine(BinDirectory, "postgres")];
        var missing = required.Where(path => !File.Exists(path)).ToList();
        if (missing.Count > 0) return $"postgresql-15 not installed: run ./test.sh, which installs it (missing: {string.Join(", ", missing)})";
        if (!Environment.IsPrivilegedProcess) return "the PostgreSQL test bed must run as root (it starts the server as the postgres user)";
        return null;
    }

    private static PostgresTestbed StartOnce()
    {
        if (UnavailableReason is { } reason)
        {
            throw new InvalidOperationException(
                $"POSTGRESQL TEST BED UNAVAILABLE{(MailTestbed.IsCi ? " and CI=true, so this FAILS instead of skipping" : "")}: {reason}");
        }
        var script = Path.Combine(MailTestbed.FindRepositoryRoot(), "testbed", "pg.sh");
        var directory = MailTestbed.CreatePrivateDirectory();
        try
        {
            var output = MailTestbed.RunScript(script, "start", new Dictionary<string, string>
            {
                ["PGTB_DIR"] = directory,
                ["PGTB_PORT"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PGTB_MAX_CONNECTIONS"] = "300",
                ["PGTB_OWNER_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            var testbed = new PostgresTestbed(script, directory, MailTestbed.ParseEnvFile(output.Trim()));
            AppDomain.CurrentDomain.ProcessExit += (_, _) => testbed.Shutdown();
            return testbed;
        }
        catch
        {
            MailTestbed.TryRunScript(script, directory, "clean", "PGTB_DIR");
            throw;
        }
    }

    private void Shutdown() => MailTestbed.CleanUpAtExit(_script, "PGTB_DIR", Directory);
}

/// <summary>
/// A fact that needs <see cref="PostgresTestbed"/>. Skipped, with a loud reason, when PostgreSQL
/// is not installed here or we are not root; but when CI=true it runs and fails.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresTestbed.SkipReason is { } reason) Skip = reason;
    }
}
