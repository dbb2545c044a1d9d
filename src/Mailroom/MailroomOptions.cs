using System.ComponentModel.DataAnnotations;

namespace Mailroom.Hosting;

/// <summary>The <c>Mailroom</c> configuration section (appsettings, <c>Mailroom__…</c> environment variables, command line).</summary>
public sealed class MailroomOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Mailroom";

    /// <summary>Folder for the SQLite database, the encryption keys and captured mail. Relative paths are taken from the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Where Mailroom stores its data.</summary>
    public StorageOptions Storage { get; set; } = new();

    /// <summary>Settings for automated first deployments.</summary>
    public BootstrapOptions Bootstrap { get; set; } = new();

    /// <summary>The <c>Mailroom:Delivery</c> section: the worker, retries and the System relay.</summary>
    public DeliveryOptions Delivery { get; set; } = new();

    /// <summary><see cref="DataDirectory"/> as a full path.</summary>
    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);
}

/// <summary>The <c>Mailroom:Storage</c> section.</summary>
public sealed class StorageOptions
{
    /// <summary>"sqlite" (the embedded default) or "postgresql" (several nodes on one database).</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>
    /// Connection string: for SQLite the default is <c>Data Source=&lt;DataDirectory&gt;/mailroom.db</c>;
    /// for PostgreSQL an Npgsql connection string, required.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary><see cref="Provider"/> parsed (case-insensitive), or null when it names no backend.</summary>
    public StorageProvider? Kind => Provider.ToLowerInvariant() switch
    {
        "sqlite" => StorageProvider.Sqlite,
        "postgresql" or "postgres" => StorageProvider.PostgreSql,
        _ => null,
    };
}

/// <summary>The storage backends.</summary>
public enum StorageProvider
{
    /// <summary>One file beside the server; one node.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database that several nodes share.</summary>
    PostgreSql,
}

/// <summary>The <c>Mailroom:Bootstrap</c> section.</summary>
public sealed class BootstrapOptions
{
    /// <summary>
    /// An API key the first administrator gets, for automated deployments
    /// (<c>Mailroom__Bootstrap__AdminApiKey</c>). At least 24 characters. Stored hashed.
    /// </summary>
    public string? AdminApiKey { get; set; }

    /// <summary>The first administrator's address.</summary>
    public string AdminEmail { get; set; } = "admin@localhost";
}
