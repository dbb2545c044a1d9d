using System.Text.RegularExpressions;

namespace Mailroom.Core.Mail;

/// <summary>
/// What an SMTP server answered: the basic code, the enhanced status code (RFC 3463) read from
/// the start of the text when present, and the text itself.
/// </summary>
public sealed partial record SmtpReply(int Code, string? EnhancedCode, string Text)
{
    /// <summary>Builds a reply, reading an enhanced code such as <c>5.1.1</c> from the start of <paramref name="text"/>.</summary>
    public static SmtpReply From(int code, string? text)
    {
        text = (text ?? "").Trim();
        var match = EnhancedCodePattern().Match(text);
        // Only trust it when its class agrees with the basic code (5xx ↔ 5.x.x).
        var enhanced = match.Success && match.Groups[1].Value[0] == (char)('0' + code / 100) ? match.Groups[1].Value : null;
        return new SmtpReply(code, enhanced, text);
    }

    /// <summary>2xx.</summary>
    public bool IsSuccess => Code is >= 200 and < 300;

    /// <summary>4xx: try again later.</summary>
    public bool IsTransient => Code is >= 400 and < 500;

    /// <summary>5xx: do not try again as is.</summary>
    public bool IsPermanent => Code is >= 500 and < 600;

    /// <summary>
    /// 5.7.139: Exchange Online's "SMTP AUTH is disabled" for the mailbox or tenant (whatever the host
    /// name, and whether a password or an OAuth2 token was refused).
    /// </summary>
    public bool IsSmtpAuthDisabled => EnhancedCode == "5.7.139";

    /// <summary>"550 5.1.1 text".</summary>
    public override string ToString() => $"{Code} {Text}";

    [GeneratedRegex(@"^([245]\.\d{1,3}\.\d{1,3})\b")]
    private static partial Regex EnhancedCodePattern();
}

/// <summary>What happened to one recipient.</summary>
/// <param name="Address">The envelope recipient.</param>
/// <param name="Accepted">True when the server accepted it.</param>
/// <param name="Reply">The server's answer to RCPT TO (or to the whole transaction).</param>
public sealed record RecipientOutcome(string Address, bool Accepted, SmtpReply? Reply);

/// <summary>One step of a message's history: a transition, when, why, and what the server said.</summary>
/// <param name="At">When.</param>
/// <param name="Status">The status the message moved to.</param>
/// <param name="Reason">Why, in words a person understands.</param>
/// <param name="Reply">The SMTP reply behind it, when there was one.</param>
/// <param name="Recipients">Per-recipient outcomes of a delivery attempt.</param>
public sealed record MessageHistoryEntry(
    DateTimeOffset At, MessageStatus Status, string Reason, SmtpReply? Reply = null, IReadOnlyList<RecipientOutcome>? Recipients = null);
