using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Settings;

namespace Mailroom.Core.Delivery;

/// <summary>How a delivery attempt ended, in the terms the retry policy decides on.</summary>
public enum DeliveryOutcomeKind
{
    /// <summary>The server accepted the message for at least one recipient.</summary>
    Delivered,

    /// <summary>System sender without a relay: written to an .eml file, not delivered.</summary>
    Captured,

    /// <summary>Try again later: a 4xx reply, a dropped connection, a timeout, a refused connection.</summary>
    Transient,

    /// <summary>Do not try again as is: 5xx for every recipient, or the message itself refused.</summary>
    Permanent,

    /// <summary>
    /// The sender's settings must change before anything can be sent: bad credentials (530/535),
    /// TLS or certificate failure, credentials that would go over an unencrypted connection,
    /// sending disabled, no server set. The sender's messages are held, not retried into the ground.
    /// </summary>
    SenderProblem,
}

/// <summary>The result of one delivery attempt; a record, not an exception, so it crosses layers plainly.</summary>
/// <param name="Kind">What kind of ending.</param>
/// <param name="Reason">In words a person understands (English; stored in the history).</param>
/// <param name="Reply">The SMTP reply that decided it, if any.</param>
/// <param name="Recipients">Per-recipient outcomes (empty when the attempt never reached RCPT).</param>
public sealed record DeliveryOutcome(DeliveryOutcomeKind Kind, string Reason, SmtpReply? Reply = null, IReadOnlyList<RecipientOutcome>? Recipients = null)
{
    /// <summary>Per-recipient outcomes, never null.</summary>
    public IReadOnlyList<RecipientOutcome> RecipientOutcomes => Recipients ?? [];
}

/// <summary>
/// Delivers one queued message with the sender settings in force at that moment. Keeps
/// connections open between messages of the same server and credentials.
/// </summary>
public interface IMailDeliveryAgent : IAsyncDisposable
{
    /// <summary>Delivers <paramref name="message"/> as <paramref name="sender"/> says; never throws for SMTP, network or TLS trouble — that is an outcome.</summary>
    Task<DeliveryOutcome> DeliverAsync(QueuedMessage message, EffectiveSenderSettings sender, CancellationToken cancellationToken = default);
}

/// <summary>The operator's own relay for the System sender mode (Directo's directo.gate.ee), from configuration.</summary>
public sealed record SystemRelayOptions
{
    /// <summary>Relay host; when empty, System-mode mail is captured as .eml files instead of delivered.</summary>
    public string? Host { get; init; }
    public int Port { get; init; } = 587;
    public EncryptionMode Encryption { get; init; } = EncryptionMode.Auto;
    public string? Login { get; init; }

    /// <summary>Plain text from configuration (environment or a secrets store), never from the database.</summary>
    public string? Password { get; init; }

    /// <summary>Optional SHA-256 fingerprint (hex) that pins the relay's certificate.</summary>
    public string? CertificateSha256 { get; init; }

    /// <summary>The From address of System-mode mail when the sender has none.</summary>
    public string? FromAddress { get; init; }

    /// <summary>True when a relay is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}
