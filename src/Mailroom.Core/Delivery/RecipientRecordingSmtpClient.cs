using MailKit.Net.Smtp;
using MailKit;
using MimeKit;

namespace Mailroom.Core.Delivery;

/// <summary>
/// An SMTP client that records each RCPT TO answer instead of failing the whole message on the
/// first refused recipient, and tags the transaction with the queue message id as the DSN
/// envelope id (MailKit sends it only when the server offers DSN).
/// </summary>
internal sealed class RecipientRecordingSmtpClient : SmtpClient
{
    private readonly List<(MailboxAddress Mailbox, SmtpResponse Response)> _refused = [];
    private string? _envelopeId;
    private bool _requestDsn;

    /// <summary>Recipients the server refused in the current transaction, with its answers.</summary>
    public IReadOnlyList<(MailboxAddress Mailbox, SmtpResponse Response)> Refused => _refused;

    /// <summary>True when the last transaction ended because no recipient was accepted.</summary>
    public bool NoRecipientAccepted { get; private set; }

    /// <summary>
    /// Starts a new transaction's record with <paramref name="envelopeId"/> as its DSN envelope id,
    /// or none when the id is not what RFC 3461 allows (printable ASCII without spaces, at most 100 characters).
    /// </summary>
    /// <param name="envelopeId">The queue message id.</param>
    /// <param name="requestDsn">True to ask for failure reports with headers only (NOTIFY=FAILURE, RET=HDRS) where the server offers DSN.</param>
    public void BeginTransaction(string envelopeId, bool requestDsn = false)
    {
        _requestDsn = requestDsn;
        DeliveryStatusNotificationType = requestDsn ? DeliveryStatusNotificationType.HeadersOnly : DeliveryStatusNotificationType.Unspecified;
        _refused.Clear();
        NoRecipientAccepted = false;
        _envelopeId = envelopeId.Length is > 0 and <= 100 && envelopeId.All(ch => ch is > ' ' and <= '~') ? envelopeId : null;
    }

    protected override string? GetEnvelopeId(MimeMessage message) => _envelopeId;

    protected override DeliveryStatusNotification? GetDeliveryStatusNotifications(MimeMessage message, MailboxAddress mailbox) =>
        _requestDsn ? DeliveryStatusNotification.Failure : null;

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
        _refused.Add((mailbox, response));

    protected override void OnNoRecipientsAccepted(MimeMessage message)
    {
        NoRecipientAccepted = true;
        // A command exception (not any other type) makes MailKit RSET and keep the connection.
        var last = _refused.Count > 0 ? _refused[^1] : default;
        throw new SmtpCommandException(
            SmtpErrorCode.RecipientNotAccepted,
            last.Response?.StatusCode ?? SmtpStatusCode.MailboxUnavailable,
            last.Mailbox ?? new MailboxAddress("", "unknown@invalid"),
            "The server accepted none of the recipients.");
    }
}
