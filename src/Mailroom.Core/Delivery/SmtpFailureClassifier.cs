using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Mailroom.Core.Mail;

namespace Mailroom.Core.Delivery;

/// <summary>
/// Sorts what went wrong the way MailKit types it: a 4xx command error is transient, 5xx is
/// permanent, protocol/IO/timeouts are transient, and authentication, TLS and certificate
/// failures are the sender's settings (hold, raise an event, do not retry into the ground).
/// Decides by type and code, never by matching the server's words.
/// </summary>
public static class SmtpFailureClassifier
{
    /// <summary>SMTP replies that mean "your credentials or security settings": 530, 534, 535, 538 (RFC 4954).</summary>
    public static bool IsAuthenticationReply(int code) => code is 530 or 534 or 535 or 538;

    /// <summary>The outcome for <paramref name="error"/>, raised while talking to <paramref name="endpoint"/>.</summary>
    public static DeliveryOutcome Classify(Exception error, string endpoint) => error switch
    {
        PlaintextCredentialsRefusedException => new(DeliveryOutcomeKind.SenderProblem, error.Message),
        BlockedAddressException => new(DeliveryOutcomeKind.SenderProblem, error.Message),
        AuthenticationException auth => new(DeliveryOutcomeKind.SenderProblem,
            $"{endpoint} refused the login or password: {auth.Message}", ReplyIn(auth.Message, 535)),
        SslHandshakeException tls => new(DeliveryOutcomeKind.SenderProblem,
            $"The TLS connection to {endpoint} failed or its certificate is not trusted: {FirstLine(tls.Message)}"),
        ServiceNotAuthenticatedException notAuthenticated => new(DeliveryOutcomeKind.SenderProblem,
            $"{endpoint} requires authentication or encryption first: {notAuthenticated.Message}", ReplyIn(notAuthenticated.Message, 530)),
        NotSupportedException unsupported => new(DeliveryOutcomeKind.SenderProblem,
            $"{endpoint} does not support what the settings ask for: {unsupported.Message}"),
        SmtpCommandException command when IsAuthenticationReply((int)command.StatusCode) => new(DeliveryOutcomeKind.SenderProblem,
            $"{endpoint} refused the sender's authentication: {command.Message}", Reply(command)),
        SmtpCommandException { StatusCode: var code } command when (int)code >= 500 => new(DeliveryOutcomeKind.Permanent,
            $"{endpoint} refused the message: {(int)code} {command.Message}", Reply(command)),
        SmtpCommandException command => new(DeliveryOutcomeKind.Transient,
            $"{endpoint} asked to try later: {(int)command.StatusCode} {command.Message}", Reply(command)),
        SmtpProtocolException protocol => new(DeliveryOutcomeKind.Transient, $"The connection to {endpoint} broke: {protocol.Message}"),
        SocketException socket => new(DeliveryOutcomeKind.Transient, $"Could not connect to {endpoint}: {socket.Message}"),
        TimeoutException or OperationCanceledException => new(DeliveryOutcomeKind.Transient, $"{endpoint} did not answer in time."),
        IOException io => new(DeliveryOutcomeKind.Transient, $"The connection to {endpoint} broke: {io.Message}"),
        _ => new(DeliveryOutcomeKind.Transient, $"Unexpected error talking to {endpoint}: {error.GetType().Name}: {error.Message}"),
    };

    /// <summary>The reply carried by a command exception.</summary>
    public static SmtpReply Reply(SmtpCommandException error) => SmtpReply.From((int)error.StatusCode, error.Message);

    // MailKit puts "535: 5.7.8 Error: authentication failed" style text in some messages.
    private static SmtpReply? ReplyIn(string message, int fallbackCode)
    {
        var text = message.Trim();
        if (text.Length >= 3 && int.TryParse(text[..3], out var code) && code is >= 400 and < 600)
            return SmtpReply.From(code, text[3..].TrimStart(':', ' '));
        return fallbackCode > 0 ? SmtpReply.From(fallbackCode, text) : null;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
