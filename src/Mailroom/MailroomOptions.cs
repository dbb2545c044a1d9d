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

    /// <summary>Where the server may connect and how long sessions last.</summary>
    public SecurityOptions Security { get; set; } = new();

    /// <summary>Size limits on what callers may send.</summary>
    public LimitsOptions Limits { get; set; } = new();

    /// <summary>The <c>Mailroom:Webhooks</c> section: the webhook dispatcher.</summary>
    public WebhookOptions Webhooks { get; set; } = new();

    /// <summary>The <c>Mailroom:Bounces</c> section: the VERP bounce domain and the bounce mailbox.</summary>
    public BounceOptions Bounces { get; set; } = new();

    /// <summary>The <c>Mailroom:Templates</c> section.</summary>
    public Core.Templates.TemplateOptions Templates { get; set; } = new();

    /// <summary>The <c>Mailroom:OAuth</c> section: the Microsoft 365 and Google app registrations (used by the server).</summary>
    public Core.OAuth.OAuthOptions OAuth { get; set; } = new();

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

    /// <summary>
    /// SQLite only: when a commit reaches the disk. "full" (the default): every commit is flushed
    /// (fsync) before the caller is answered, so an accepted message survives a power cut or an
    /// operating-system crash, as a mail server's queue must. "normal": flushed at checkpoints
    /// only; a process crash still loses nothing, a power cut may lose the last commits.
    /// </summary>
    public string SqliteSynchronous { get; set; } = "full";

    /// <summary><see cref="SqliteSynchronous"/> parsed (case-insensitive): true for "full", false for "normal", null otherwise.</summary>
    public bool? SqliteFlushesEveryCommit => SqliteSynchronous?.Trim().ToLowerInvariant() switch
    {
        "full" => true,
        "normal" => false,
        _ => null,
    };

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

/// <summary>The <c>Mailroom:Security</c> section.</summary>
public sealed class SecurityOptions
{
    /// <summary>
    /// When true (the default), servers named by user-level profiles (a user's own or the shared
    /// sender's) are connected to only on public addresses: private, loopback, link-local and other
    /// internal networks are refused, for delivery and for "check connection" alike (SSRF). The
    /// global profile and the system relay are the administrator's and are not restricted.
    /// </summary>
    public bool BlockPrivateNetworksForUserProfiles { get; set; } = true;

    /// <summary>How long a web UI session lasts without activity (sliding). Default 8 hours.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromHours(8);
}

/// <summary>The <c>Mailroom:Limits</c> section: what a caller may send before getting a clear 413 or 400.</summary>
public sealed class LimitsOptions
{
    /// <summary>The largest request body, in bytes (JSON with base64 attachments, forms). Default 40 MB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 40L * 1024 * 1024;

    /// <summary>
    /// The largest upload of an endpoint that takes files in bulk (a mailing's recipients and
    /// attachments, API and web form), in bytes. Default 1 GiB.
    /// </summary>
    public long MaxUploadBytes { get; set; } = 1L << 30;

    /// <summary>Recipients (To + Cc + Bcc) of one message. Default 500.</summary>
    public int MaxRecipients { get; set; } = Core.Mail.MessageLimits.Default.MaxRecipients;

    /// <summary>All attachments of one message together, in bytes (decoded). Default 25 MB.</summary>
    public long MaxAttachmentBytes { get; set; } = Core.Mail.MessageLimits.Default.MaxAttachmentBytes;

    /// <summary>Each body (text, HTML), in characters. Default 5,000,000.</summary>
    public int MaxBodyLength { get; set; } = Core.Mail.MessageLimits.Default.MaxBodyLength;

    /// <summary>The limits messages are validated against.</summary>
    public Core.Mail.MessageLimits ToMessageLimits() => Core.Mail.MessageLimits.Default with
    {
        MaxRecipients = MaxRecipients,
        MaxAttachmentBytes = MaxAttachmentBytes,
        MaxBodyLength = MaxBodyLength,
    };
}
