using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Suppression;

namespace Mailroom.Core.Bounces;

/// <summary>
/// Takes one message from the bounce mailbox: keeps it, reads it, and applies what it says — an
/// asynchronous bounce moves the queue message to Bounced (or records a partial bounce) and a
/// hard bounce (5.x.x) suppresses the recipient. Crash-safe with the mailbox's own marking: the
/// mail is stored first (unique by its source), its effects applied, then it is marked
/// processed; a run that stopped in between applies the effects again (suppression is
/// idempotent; the history may then show the bounce twice).
/// </summary>
public sealed class BounceIntake(
    IInboundMailStore inbound, IMessageQueueStorage queue, ISuppressionStore suppressions, BounceAddressOptions addresses, TimeProvider clock)
{
    /// <summary>
    /// Processes the mail read from <paramref name="sourceKey"/> unless it was processed before; returns what is kept.
    /// A bounce of a message that is still being sent is kept but not processed
    /// (<see cref="InboundMail.ProcessedAt"/> null): read it again later.
    /// </summary>
    public async Task<InboundMail> ProcessAsync(string sourceKey, byte[] raw, CancellationToken cancellationToken = default)
    {
        var existing = await inbound.FindBySourceAsync(sourceKey, cancellationToken);
        if (existing?.ProcessedAt is not null) return existing;
        var (report, message) = DsnParser.Parse(raw, addresses);
        var now = clock.GetUtcNow();
        var mail = existing ?? await inbound.AddAsync(new InboundMail
        {
            Id = Guid.CreateVersion7(now).ToString("N"),
            SourceKey = sourceKey,
            ReceivedAt = now,
            Kind = report.Kind,
            MessageId = report.CorrelatedMessageId,
            CorrelatedBy = report.CorrelatedBy,
            From = message?.From.ToString(),
            Subject = message?.Subject,
            Detail = report.Detail,
            Recipients = report.Recipients,
            Raw = raw,
        }, cancellationToken);
        var (detail, applied) = await ApplyAsync(report, now, cancellationToken);
        // Not applied yet: kept unprocessed, so the mailbox's next read takes it again.
        if (!applied) return mail with { Detail = detail };
        await inbound.MarkProcessedAsync(mail.Id, detail, now, cancellationToken);
        return mail with { ProcessedAt = now, Detail = detail };
    }

    private async Task<(string Detail, bool Applied)> ApplyAsync(BounceReport report, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (report.Kind != InboundMailKind.Bounce) return (report.Detail, true);
        if (report.CorrelatedMessageId is not { } messageId)
            return ($"{report.Detail} It names no Mailroom message (no VERP address, envelope id or Mailroom Message-ID), so nothing was changed.", true);
        var message = await queue.GetAsync(messageId, cancellationToken);
        if (message is null)
            return ($"{report.Detail} It names message {messageId}, which is not in the queue, so nothing was changed.", true);
        // The relay's DSN can arrive before the worker has recorded the relay's "accepted" (a fast
        // relay, a busy node): the report waits for the message to be sent rather than being dropped.
        if (message.Status == MessageStatus.Sending)
            return ($"{report.Detail} It names message {messageId}, whose delivery is still being recorded, so it is read again later.", false);

        var history = await queue.GetHistoryAsync(messageId, cancellationToken);
        var (accepted, bouncedBefore) = ReadDelivery(message, history);
        // Only the message's own recipients count: a report about anyone else changes nothing.
        var failures = report.Failures.Where(f => accepted.Contains(f.Address) || message.Draft.AllRecipients.Contains(f.Address, StringComparer.OrdinalIgnoreCase)).ToList();
        if (failures.Count == 0)
            return ($"{report.Detail} None of its failed recipients ({string.Join(", ", report.Failures.Select(f => f.Address))}) is a recipient of message {messageId}, so nothing was changed.", true);

        var notes = new List<string> { $"{report.Detail} Matched message {messageId} by {report.CorrelatedBy}." };
        if (message.Status is MessageStatus.Sent or MessageStatus.Bounced)
        {
            var bounced = new HashSet<string>(bouncedBefore, StringComparer.OrdinalIgnoreCase);
            bounced.UnionWith(failures.Select(f => f.Address));
            var all = accepted.Count == 0 || accepted.All(bounced.Contains);
            var status = all ? MessageStatus.Bounced : MessageStatus.Sent;
            var list = string.Join("; ", failures.Select(Describe));
            var reason = all
                ? $"Bounced after it was sent: {list}."
                : $"Bounced for {failures.Count} recipient(s) after it was sent: {list}. The other recipients reported no failure, so the message stays sent.";
            var first = failures[0];
            var transition = new MessageTransition(status, reason, Reply: ReplyOf(first),
                Recipients: failures.Select(f => new RecipientOutcome(f.Address, false, ReplyOf(f))).ToList());
            if (await queue.RecordBounceAsync(messageId, transition, now, cancellationToken))
                notes.Add(all ? "The message is now bounced." : "Recorded as a partial bounce; the message stays sent.");
        }
        else
        {
            notes.Add($"The message is {message.Status.Name()}, not sent, so its status was left as it is.");
        }

        foreach (var hard in failures.Where(f => f.IsHardBounce))
        {
            var entry = new SuppressionEntry(SuppressionAddress.Normalize(hard.Address),
                $"Hard bounce ({hard.Status}) of message {messageId}.", hard.Status, hard.DiagnosticCode, messageId, now);
            if (await suppressions.AddAsync(entry, cancellationToken)) notes.Add($"{entry.Address} is suppressed.");
        }
        return (string.Join(" ", notes), true);
    }

    // The recipients the last delivery attempt had accepted, and those reported bounced since.
    private static (HashSet<string> Accepted, List<string> BouncedBefore) ReadDelivery(QueuedMessage message, IReadOnlyList<MessageHistoryEntry> history)
    {
        var accepted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var bounced = new List<string>();
        var lastClaim = -1;
        for (var i = 0; i < history.Count; i++)
            if (history[i].Status == MessageStatus.Sending) lastClaim = i;
        var delivery = lastClaim + 1 < history.Count ? lastClaim + 1 : -1;
        if (delivery >= 0 && history[delivery].Recipients is { Count: > 0 } recipients)
            accepted.UnionWith(recipients.Where(r => r.Accepted).Select(r => r.Address));
        else
            accepted.UnionWith(message.Draft.AllRecipients);
        for (var i = delivery + 1; delivery >= 0 && i < history.Count; i++)
            bounced.AddRange((history[i].Recipients ?? []).Where(r => !r.Accepted).Select(r => r.Address));
        return (accepted, bounced);
    }

    private static string Describe(BounceRecipient recipient) =>
        $"{recipient.Address} ({recipient.Status ?? "no status"}{(recipient.DiagnosticCode is { } diagnostic ? $": {diagnostic}" : "")})";

    /// <summary>The DSN's status as an SMTP reply for the history: 550/450 by its class, the enhanced code, the diagnostic text.</summary>
    public static SmtpReply ReplyOf(BounceRecipient recipient)
    {
        var code = recipient.Status?.StartsWith("4.", StringComparison.Ordinal) == true ? 450 : 550;
        return new SmtpReply(code, recipient.Status, recipient.DiagnosticCode ?? $"Action: {recipient.Action}");
    }
}
