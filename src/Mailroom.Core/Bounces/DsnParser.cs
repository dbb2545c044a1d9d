using System.Text.RegularExpressions;
using MimeKit;

namespace Mailroom.Core.Bounces;

/// <summary>
/// Reads what arrives in the bounce mailbox: RFC 3464 delivery status notifications
/// (<c>multipart/report; report-type=delivery-status</c> with a <c>message/delivery-status</c>
/// part), automatic replies, and the older plain-text bounces of qmail and Exim. Anything else
/// is <see cref="InboundMailKind.Unparseable"/>, which the caller keeps; nothing is dropped.
/// </summary>
public static partial class DsnParser
{
    private static readonly string[] AutoReplySubjects =
    [
        "out of office", "out-of-office", "automatic reply", "auto-reply", "autoreply", "auto reply", "vacation",
        "automatyczna odpowiedź", "automatyczna odpowiedz", "odpowiedź automatyczna", "poza biurem", "nieobecność", "abwesenheit",
    ];

    // Headers a bounce may carry the address it was sent to in: the VERP envelope sender.
    private static readonly string[] DeliveryHeaders = ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To"];

    /// <summary>Reads <paramref name="message"/>; <paramref name="addresses"/> tells VERP addresses apart.</summary>
    public static BounceReport Parse(MimeMessage message, BounceAddressOptions addresses)
    {
        var verp = FindVerpMessageId(message, addresses);
        if (FindDeliveryStatus(message.Body) is { } status)
        {
            var (recipients, envelopeId) = ReadDeliveryStatus(status);
            var original = FindOriginalMessageId(message.Body);
            if (recipients.Count == 0)
                return new BounceReport(InboundMailKind.Unparseable, [], verp, envelopeId, original,
                    "A delivery-status report without any recipient block (Final-Recipient and Action).");
            var kind = recipients.Any(r => r.IsFailure) ? InboundMailKind.Bounce : InboundMailKind.Notice;
            return new BounceReport(kind, recipients, verp, envelopeId, original,
                kind == InboundMailKind.Bounce ? "Delivery status notification (RFC 3464) with a failed recipient." : "Delivery status notification without a failure (delayed, relayed or delivered).");
        }
        if (ReadPlainTextBounce(message) is { Count: > 0 } plain)
            return new BounceReport(InboundMailKind.Bounce, plain, verp, null, FindOriginalMessageIdInText(message), "Plain-text bounce (qmail or Exim style), read from its text.");
        if (IsAutoReply(message, out var why))
            return new BounceReport(InboundMailKind.AutoReply, [], verp, null, null, why);
        return new BounceReport(InboundMailKind.Unparseable, [], verp, null, null,
            "Neither a delivery status notification nor an automatic reply; kept for a person to read.");
    }

    /// <summary>Reads raw RFC 5322 bytes; bytes MimeKit cannot read at all are <see cref="InboundMailKind.Unparseable"/>.</summary>
    public static (BounceReport Report, MimeMessage? Message) Parse(byte[] raw, BounceAddressOptions addresses)
    {
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            var message = MimeMessage.Load(stream);
            return (Parse(message, addresses), message);
        }
        catch (FormatException error)
        {
            return (new BounceReport(InboundMailKind.Unparseable, [], null, null, null, $"Not a readable e-mail message: {error.Message}"), null);
        }
    }

    /// <summary>The queue id in a Message-ID Mailroom made (<c>&lt;id&gt;.mailroom@domain</c>), or null.</summary>
    public static string? QueueIdFromMessageId(string? messageId)
    {
        if (string.IsNullOrWhiteSpace(messageId)) return null;
        var match = MailroomMessageIdPattern().Match(messageId.Trim().Trim('<', '>'));
        return match.Success ? match.Groups[1].Value : null;
    }

    private static string? FindVerpMessageId(MimeMessage message, BounceAddressOptions addresses)
    {
        foreach (var name in DeliveryHeaders)
        {
            foreach (var header in message.Headers.Where(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                var values = InternetAddressList.TryParse(header.Value, out var list)
                    ? list.Mailboxes.Select(m => m.Address)
                    : [header.Value];
                foreach (var value in values)
                {
                    if (addresses.ReadMessageId(value) is { } id) return id;
                }
            }
        }
        return null;
    }

    private static MessageDeliveryStatus? FindDeliveryStatus(MimeEntity? body) => body switch
    {
        MessageDeliveryStatus status => status,
        Multipart multipart => multipart.Select(FindDeliveryStatus).FirstOrDefault(found => found is not null),
        _ => null,
    };

    private static (List<BounceRecipient> Recipients, string? EnvelopeId) ReadDeliveryStatus(MessageDeliveryStatus status)
    {
        var groups = status.StatusGroups;
        string? envelopeId = null;
        var recipients = new List<BounceRecipient>();
        for (var i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            if (i == 0 && group["Original-Envelope-Id"] is { } envid)
                envelopeId = string.IsNullOrWhiteSpace(envid) ? null : envid.Trim();
            var address = StripType(group["Final-Recipient"]) ?? StripType(group["Original-Recipient"]);
            var action = group["Action"]?.Trim().ToLowerInvariant();
            if (address is null || string.IsNullOrEmpty(action)) continue;
            var code = EnhancedStatusPattern().Match(group["Status"] ?? "");
            recipients.Add(new BounceRecipient(address.Trim('<', '>'), action.Split(' ')[0], code.Success ? code.Value : null,
                Unfold(StripType(group["Diagnostic-Code"])), StripType(group["Remote-MTA"])));
        }
        return (recipients, envelopeId);
    }

    private static string? FindOriginalMessageId(MimeEntity? body)
    {
        switch (body)
        {
            case MessagePart { Message: { } returned }:
                return QueueIdFromMessageId(returned.MessageId) ?? QueueIdFromMessageId(returned.Headers["Message-ID"]);
            case MimePart part when part.ContentType.IsMimeType("text", "rfc822-headers") && part.Content is not null:
                using (var stream = new MemoryStream())
                {
                    part.Content.DecodeTo(stream);
                    stream.Position = 0;
                    try
                    {
                        return QueueIdFromMessageId(HeaderList.Load(stream)["Message-ID"]);
                    }
                    catch (FormatException)
                    {
                        return null;
                    }
                }
            case Multipart multipart:
                return multipart.Select(FindOriginalMessageId).FirstOrDefault(found => found is not null);
            default:
                return null;
        }
    }

    private static string? FindOriginalMessageIdInText(MimeMessage message)
    {
        var match = MessageIdLinePattern().Match(message.TextBody ?? "");
        return match.Success ? QueueIdFromMessageId(match.Groups[1].Value) : FindOriginalMessageId(message.Body);
    }

    private static bool IsAutoReply(MimeMessage message, out string why)
    {
        var autoSubmitted = message.Headers["Auto-Submitted"]?.Trim().ToLowerInvariant();
        if (autoSubmitted is not null && autoSubmitted != "no")
        {
            why = $"Auto-Submitted: {autoSubmitted} (an automatic reply, not a bounce).";
            return true;
        }
        foreach (var header in new[] { "X-Autoreply", "X-Autorespond", "X-Autoresponse" })
        {
            if (message.Headers[header] is not null)
            {
                why = $"{header} header (an automatic reply, not a bounce).";
                return true;
            }
        }
        var precedence = message.Headers["Precedence"]?.Trim().ToLowerInvariant();
        if (precedence is "auto_reply" or "bulk" or "junk" or "list")
        {
            why = $"Precedence: {precedence} (an automatic reply, not a bounce).";
            return true;
        }
        var subject = (message.Subject ?? "").Trim().ToLowerInvariant();
        if (AutoReplySubjects.FirstOrDefault(subject.StartsWith) is { } start)
        {
            why = $"The subject starts with \"{start}\" (an automatic reply, not a bounce).";
            return true;
        }
        why = "";
        return false;
    }

    // qmail: "<user@host>:" then the reason; Exim: "  user@host" then an indented reason. Only
    // mail from a mailer daemon is read this way, so a person's message quoting an address is not.
    private static List<BounceRecipient> ReadPlainTextBounce(MimeMessage message)
    {
        var from = message.From.Mailboxes.FirstOrDefault()?.LocalPart.ToLowerInvariant() ?? "";
        if (from is not ("mailer-daemon" or "postmaster" or "mail-daemon")) return [];
        var text = (message.TextBody ?? "").Replace("\r\n", "\n", StringComparison.Ordinal);
        var cut = text.IndexOf("--- Below this line is a copy of the message", StringComparison.Ordinal);
        if (cut < 0) cut = text.IndexOf("------ This is a copy of the message", StringComparison.Ordinal);
        if (cut >= 0) text = text[..cut];
        var recipients = new List<BounceRecipient>();
        foreach (Match match in QmailRecipientPattern().Matches(text))
            recipients.Add(PlainRecipient(match.Groups[1].Value, match.Groups[2].Value));
        if (recipients.Count == 0)
        {
            foreach (Match match in EximRecipientPattern().Matches(text))
                recipients.Add(PlainRecipient(match.Groups[1].Value, match.Groups[2].Value));
        }
        return recipients;
    }

    private static BounceRecipient PlainRecipient(string address, string reason)
    {
        var diagnostic = Unfold(reason);
        var enhanced = EnhancedStatusPattern().Match(diagnostic ?? "");
        var basic = BasicCodePattern().Match(diagnostic ?? "");
        var status = enhanced.Success ? enhanced.Value : basic.Success ? $"{basic.Value[0]}.0.0" : "5.0.0";
        return new BounceRecipient(address.Trim(), "failed", status, diagnostic, null);
    }

    private static string? StripType(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var semicolon = value.IndexOf(';');
        return (semicolon >= 0 ? value[(semicolon + 1)..] : value).Trim();
    }

    private static string? Unfold(string? value) =>
        value is null ? null : WhitespacePattern().Replace(value, " ").Trim();

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex EnhancedStatusPattern();

    [GeneratedRegex(@"\b[45]\d\d\b")]
    private static partial Regex BasicCodePattern();

    [GeneratedRegex(@"^([A-Za-z0-9_.\-]+)\.mailroom@", RegexOptions.IgnoreCase)]
    private static partial Regex MailroomMessageIdPattern();

    [GeneratedRegex(@"^Message-ID:\s*(<[^>\n]+>)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex MessageIdLinePattern();

    [GeneratedRegex(@"^<([^<>\s@]+@[^<>\s]+)>:[ \t]*\n((?:[^\n]+\n?)+)", RegexOptions.Multiline)]
    private static partial Regex QmailRecipientPattern();

    [GeneratedRegex(@"^[ \t]{2}([^\s@<>]+@[^\s<>]+)[ \t]*\n((?:[ \t]{3,}[^\n]+\n?)+)", RegexOptions.Multiline)]
    private static partial Regex EximRecipientPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();
}
