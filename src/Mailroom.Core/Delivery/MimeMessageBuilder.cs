using System.Globalization;
using System.Net;
using System.Text;
using Mailroom.Core.Queue;
using Mailroom.Core.Settings;
using MimeKit;

namespace Mailroom.Core.Delivery;

/// <summary>A message ready for SMTP: the MIME entity and its envelope.</summary>
/// <param name="Message">What goes after DATA: headers and body; Bcc is never among the headers.</param>
/// <param name="EnvelopeSender">MAIL FROM.</param>
/// <param name="EnvelopeRecipients">RCPT TO: To, Cc and Bcc of the draft plus the profile's BCC, each once.</param>
public sealed record OutgoingMessage(MimeMessage Message, MailboxAddress EnvelopeSender, IReadOnlyList<MailboxAddress> EnvelopeRecipients);

/// <summary>An address in the draft or in the sender's settings could not be read, so no message can be built.</summary>
/// <param name="message">What could not be read, in words a person understands.</param>
/// <param name="isSenderSettingsProblem">True when the sender's settings are at fault (From, Reply-To, BCC), false when the draft is.</param>
public sealed class InvalidOutgoingMessageException(string message, bool isSenderSettingsProblem) : Exception(message)
{
    /// <summary>True when the sender's settings must change; false when the message itself is bad.</summary>
    public bool IsSenderSettingsProblem { get; } = isSenderSettingsProblem;
}

/// <summary>
/// Turns a queued draft and the sender's effective settings into a MIME message and an envelope.
/// The result depends only on its inputs, so a retry sends the same Message-Id and Date.
/// </summary>
public static class MimeMessageBuilder
{
    /// <summary>The line that separates a plain-text body from its signature (RFC 3676 §4.3).</summary>
    public const string SignatureSeparator = "-- ";

    /// <summary>Builds the message <paramref name="queued"/> as sent by <paramref name="sender"/>.</summary>
    /// <param name="queued">The queued message; its id becomes the Message-Id's left part and its creation time the Date.</param>
    /// <param name="sender">The effective sender settings (From, display name, Reply-To, BCC, signature).</param>
    /// <param name="fallbackFromAddress">Used when the settings name no From address (the system relay's own address).</param>
    /// <exception cref="InvalidOutgoingMessageException">There is no From address, or an address cannot be read.</exception>
    public static OutgoingMessage Build(QueuedMessage queued, EffectiveSenderSettings sender, string? fallbackFromAddress = null)
    {
        var draft = queued.Draft;
        var fromAddress = string.IsNullOrWhiteSpace(sender.FromAddress) ? fallbackFromAddress : sender.FromAddress;
        if (string.IsNullOrWhiteSpace(fromAddress))
            throw new InvalidOutgoingMessageException(
                "The sender has no From address: set \"fromAddress\" (Email (wychodzący)) in the sender settings.", isSenderSettingsProblem: true);

        var from = new MailboxAddress(SingleLine(sender.DisplayName ?? ""), ReadAddress(fromAddress, "From", true).Address);
        var message = new MimeMessage();
        message.From.Add(from);
        if (!string.IsNullOrWhiteSpace(sender.ReplyTo))
            message.ReplyTo.Add(ReadAddress(sender.ReplyTo, "Reply-To", true));
        message.To.AddRange(draft.To.Select(address => ReadAddress(address, "To", false)));
        message.Cc.AddRange(draft.Cc.Select(address => ReadAddress(address, "Cc", false)));
        message.Subject = SingleLine(draft.Subject);
        message.Date = queued.CreatedAt;
        message.MessageId = MessageIdFor(queued.Id, from.Address);
        message.Body = BuildBody(draft.TextBody, draft.HtmlBody, sender.Signature, draft.Attachments);

        var envelopeRecipients = draft.To.Concat(draft.Cc).Concat(draft.Bcc)
            .Select(address => ReadAddress(address, "Bcc", false))
            .Concat(SplitAddressList(sender.Bcc).Select(address => ReadAddress(address, "BCC of the sender profile", true)))
            .DistinctBy(mailbox => mailbox.Address, StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (envelopeRecipients.Count == 0)
            throw new InvalidOutgoingMessageException("The message has no recipients.", isSenderSettingsProblem: false);

        return new OutgoingMessage(message, new MailboxAddress("", from.Address), envelopeRecipients);
    }

    /// <summary>
    /// The Message-Id for queue message <paramref name="queueMessageId"/> sent from <paramref name="fromAddress"/>:
    /// the queue id on the From domain (in ASCII), so every attempt of one message carries the same id.
    /// </summary>
    public static string MessageIdFor(string queueMessageId, string fromAddress)
    {
        var at = fromAddress.LastIndexOf('@');
        var domain = at >= 0 && at < fromAddress.Length - 1 ? fromAddress[(at + 1)..] : "mailroom.invalid";
        try
        {
            domain = new IdnMapping().GetAscii(domain);
        }
        catch (ArgumentException)
        {
            domain = "mailroom.invalid"; // a domain IDNA cannot express would make the id unreadable
        }
        // Only atext survives on the left, so an odd queue id cannot break the header.
        var left = new StringBuilder(queueMessageId.Length);
        foreach (var ch in queueMessageId)
            left.Append(char.IsAsciiLetterOrDigit(ch) || "-._".Contains(ch) ? ch : '-');
        return $"{left.ToString().Trim('.')}.mailroom@{domain.ToLowerInvariant()}";
    }

    /// <summary>The addresses of a comma- or semicolon-separated list, trimmed, empty ones left out.</summary>
    public static IReadOnlyList<string> SplitAddressList(string? list) =>
        string.IsNullOrWhiteSpace(list)
            ? []
            : list.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static MimeEntity BuildBody(string? text, string? html, string? signature, IReadOnlyList<Mail.MessageAttachment> attachments)
    {
        var hasSignature = !string.IsNullOrWhiteSpace(signature);
        var body = new BodyBuilder();
        if (text is not null || html is null)
            body.TextBody = hasSignature ? AppendTextSignature(text ?? "", signature!) : text ?? "";
        if (html is not null)
            body.HtmlBody = hasSignature ? AppendHtmlSignature(html, signature!) : html;
        foreach (var attachment in attachments)
        {
            var contentType = ContentType.TryParse(attachment.ContentType, out var parsed) ? parsed : new ContentType("application", "octet-stream");
            body.Attachments.Add(attachment.FileName, attachment.Content, contentType);
        }
        return body.ToMessageBody();
    }

    private static string AppendTextSignature(string text, string signature) =>
        $"{text.TrimEnd('\r', '\n')}\n\n{SignatureSeparator}\n{signature.Replace("\r\n", "\n", StringComparison.Ordinal)}";

    private static string AppendHtmlSignature(string html, string signature)
    {
        var lines = signature.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(WebUtility.HtmlEncode);
        var block = $"<div class=\"mailroom-signature\">-- <br>{string.Join("<br>", lines)}</div>";
        // Inside the body when the HTML is a whole document, so viewers do not drop it.
        var end = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return end >= 0 ? html.Insert(end, block) : html + block;
    }

    private static MailboxAddress ReadAddress(string text, string field, bool fromSettings)
    {
        if (MailboxAddress.TryParse(ParserOptions.Default, text.Trim(), out var mailbox) && mailbox.Address.Contains('@'))
            return mailbox;
        throw new InvalidOutgoingMessageException(
            fromSettings ? $"The {field} address of the sender settings cannot be read: \"{text}\"." : $"The {field} address \"{text}\" cannot be read.",
            fromSettings);
    }

    // MimeKit encodes header values safely; folding line breaks into spaces as well keeps a
    // subject one line even in viewers that would show an encoded newline.
    private static string SingleLine(string value) =>
        value.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\r', ' ').Replace('\n', ' ');
}
