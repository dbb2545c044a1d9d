using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;
using Mailroom.Core.Storage;
using Mailroom.Core.Templates;

namespace Mailroom.Core.Mailings;

/// <summary>What starts a mailing (beside the recipients and files).</summary>
/// <param name="Template">The template's name.</param>
/// <param name="TemplateVersion">A version; null for the newest.</param>
/// <param name="Language">The language for rows that name none; null for the organisation's default.</param>
/// <param name="SenderUserId">The user the mail is sent as.</param>
/// <param name="Name">A name for people; null for "template — date".</param>
public sealed record MailingRequest(string? Template, int? TemplateVersion, string? Language, string? SenderUserId, string? Name);

/// <summary>An uploaded file rows may attach by name; read on first use and kept for the mailing.</summary>
/// <param name="FileName">The name rows refer to (and the recipient sees).</param>
/// <param name="ContentType">MIME type.</param>
/// <param name="ReadAsync">Reads the bytes.</param>
public sealed record MailingFile(string FileName, string ContentType, Func<CancellationToken, Task<byte[]>> ReadAsync);

/// <summary>A mailing's progress.</summary>
/// <param name="Mailing">The mailing.</param>
/// <param name="Counts">Messages per status name, plus <c>rejected</c> for bad rows.</param>
/// <param name="Total">Rows read.</param>
/// <param name="Done">Rows finished: sent, failed, cancelled or rejected.</param>
/// <param name="Percent">Done of total, 0–100.</param>
/// <param name="RatePerMinute">Messages sent in the last minute.</param>
/// <param name="SecondsLeft">Estimated seconds until every waiting message is sent at that rate; null when unknown.</param>
/// <param name="Completed">True when nothing is left to send (and feeding is over).</param>
public sealed record MailingProgress(
    Mailing Mailing, IReadOnlyDictionary<string, int> Counts, int Total, int Done, double Percent, double RatePerMinute, double? SecondsLeft, bool Completed);

/// <summary>
/// Mass mailings: checks the sender (own SMTP or Microsoft 365 only), streams the recipients into
/// the queue in batches (one transaction each; memory does not grow with the list), reports bad
/// rows one by one and lets the rest proceed; pause, resume, cancel, progress and the report.
/// Delivery, with the sender's rate limits, is the ordinary queue's.
/// </summary>
public sealed class MailingService(
    IMailingStore store, TemplateService templates, SenderSettingsService settings, QueueSignal signal, TimeProvider clock, MessageLimits limits,
    Suppression.ISuppressionStore? suppressions = null)
{
    /// <summary>Rows per transaction.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>
    /// Starts a mailing and feeds every row of <paramref name="recipients"/> into the queue before
    /// returning. Returns the issues (nothing stored) when the mailing cannot start at all.
    /// </summary>
    public async Task<(Mailing? Mailing, IReadOnlyList<ValidationIssue> Issues)> StartAsync(
        MailingRequest request, IAsyncEnumerable<RecipientInput> recipients, IReadOnlyList<MailingFile> files, string createdBy, CancellationToken cancellationToken = default)
    {
        // A mailing is always some user's: no sender is not the global profile here.
        if (string.IsNullOrWhiteSpace(request.SenderUserId))
            return (null, [SenderSettingsService.SenderIssue(SenderSettingsService.SenderNotFound, request.SenderUserId)]);
        var (sender, senderIssue) = await settings.GetSendingSenderAsync(request.SenderUserId, cancellationToken);
        if (sender is null) return (null, [senderIssue!]);
        if (!UsesOwnServer(sender))
            return (null, [TemplateCodes.Issue("senderUserId", TemplateCodes.MailingNeedsOwnServer, ("mode", sender.SenderMode.ToString()))]);
        var (language, languageIssue) = await templates.ResolveLanguageAsync(request.Language, null, cancellationToken);
        if (languageIssue is not null) return (null, [languageIssue]);
        var (compiled, templateIssues) = await templates.CompileAsync(request.Template ?? "", request.TemplateVersion, cancellationToken);
        if (compiled is null) return (null, templateIssues);

        var now = clock.GetUtcNow();
        var mailing = new Mailing
        {
            Id = Guid.CreateVersion7(now).ToString("N"),
            Name = string.IsNullOrWhiteSpace(request.Name) ? $"{compiled.Template.Name} {now:yyyy-MM-dd HH:mm}" : request.Name.Trim(),
            TemplateName = compiled.Template.Name, TemplateVersion = compiled.Template.Version, Language = language!,
            SenderUserId = request.SenderUserId, CreatedBy = createdBy, CreatedAt = now, State = MailingState.Feeding,
        };
        await store.CreateAsync(mailing, cancellationToken);

        // A bounded pipeline: the next batch is rendered while the previous one is checked against
        // the suppression list and written (one transaction each), so rendering and writing overlap
        // on two cores; at most two batches are in memory whatever the list's length.
        var attachments = new AttachmentCache(files);
        var batch = new List<MailingRow>(BatchSize);
        Task<bool>? writing = null;
        var total = 0;
        var feeding = true;
        try
        {
            await foreach (var input in recipients.WithCancellation(cancellationToken))
            {
                total++;
                batch.Add(await RenderRowAsync(input, compiled, mailing, attachments, cancellationToken));
                if (batch.Count < BatchSize) continue;
                if (writing is not null && !await writing)
                {
                    // Cancelled meanwhile: this batch is not written (nor counted, below).
                    (feeding, writing) = (false, null);
                    break;
                }
                writing = FlushAsync(mailing.Id, batch, cancellationToken);
                batch = new List<MailingRow>(BatchSize);
            }
            if (writing is not null) feeding = await writing;
        }
        catch when (writing is not null)
        {
            await Task.WhenAny(writing); // the request does not end while its last batch is still being written
            throw;
        }
        if (feeding) await FlushAsync(mailing.Id, batch, cancellationToken);
        else total -= batch.Count;
        await store.FinishFeedingAsync(mailing.Id, total, cancellationToken);
        return (await store.GetAsync(mailing.Id, cancellationToken), []);
    }

    /// <summary>True when the sender sends through its own server (own SMTP or Microsoft 365), as a mass mailing needs.</summary>
    public static bool UsesOwnServer(EffectiveSenderSettings sender) =>
        sender.SenderMode is SenderMode.OwnSmtp or SenderMode.Microsoft365OAuth;

    // False when the mailing was cancelled meanwhile: feeding stops. Runs beside the rendering of the next batch.
    private async Task<bool> FlushAsync(string mailingId, List<MailingRow> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return true;
        await Task.Yield(); // the caller goes on rendering
        await RefuseSuppressedAsync(batch, cancellationToken);
        await store.AppendAsync(mailingId, batch, clock.GetUtcNow(), cancellationToken);
        signal.Notify();
        return (await store.GetAsync(mailingId, cancellationToken))?.State != MailingState.Cancelled;
    }

    // The suppression list holds for mailings as for single submissions (MessageSubmissionService):
    // a row to an address that bounced for good is a bad row with the reason; one lookup per batch.
    private async Task RefuseSuppressedAsync(List<MailingRow> batch, CancellationToken cancellationToken)
    {
        if (suppressions is null) return;
        var found = (await suppressions.FindAsync(batch.Where(r => r.Draft is not null).SelectMany(r => r.Draft!.AllRecipients), cancellationToken))
            .ToDictionary(entry => entry.Address, StringComparer.OrdinalIgnoreCase);
        if (found.Count == 0) return;
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Draft is not { } draft) continue;
            var hit = draft.AllRecipients.Select(a => found.GetValueOrDefault(Suppression.SuppressionAddress.Normalize(a))).FirstOrDefault(e => e is not null);
            if (hit is null) continue;
            batch[i] = batch[i] with
            {
                Draft = null,
                Problem = TemplateCodes.Issue("email", Queue.MessageSubmissionService.RecipientSuppressed, ("value", batch[i].Address), ("status", hit.Status ?? "5.0.0")),
            };
        }
    }

    private async Task<MailingRow> RenderRowAsync(RecipientInput input, CompiledTemplate template, Mailing mailing,
        AttachmentCache files, CancellationToken cancellationToken)
    {
        MailingRow Bad(ValidationIssue issue) => new(input.Row, input.Email, null, issue);
        if (input.Problem is not null) return Bad(input.Problem);
        if (string.IsNullOrWhiteSpace(input.Email)) return Bad(TemplateCodes.Issue("email", TemplateCodes.RowAddressMissing));
        if (!EmailAddressRules.IsValidAddress(input.Email))
            return Bad(TemplateCodes.Issue("email", MessageDraftValidator.RecipientInvalid, ("value", input.Email)));
        var language = mailing.Language;
        if (input.Language is not null)
        {
            var lower = input.Language.ToLowerInvariant();
            if (!Localization.Messages.Languages.Contains(lower)) return Bad(TemplateCodes.Issue("language", TemplateCodes.LanguageUnknown, ("value", input.Language)));
            language = lower;
        }
        var attachments = new List<MessageAttachment>(input.Attachments.Count);
        foreach (var name in input.Attachments)
        {
            if (await files.GetAsync(name, cancellationToken) is not { } attachment)
                return Bad(TemplateCodes.Issue("attachments", TemplateCodes.RowAttachmentUnreadable, ("name", name)));
            attachments.Add(attachment);
        }
        var (draft, issues) = TemplateService.Compose(template, language, input.Email, input.Data, mailing.SenderUserId, attachments, MessagePriority.Bulk);
        if (draft is null) return Bad(issues[0]);
        var (normalized, draftIssues) = MessageDraftValidator.Validate(draft, limits);
        return draftIssues.Count > 0 ? Bad(draftIssues[0]) : new MailingRow(input.Row, input.Email, normalized, null);
    }

    /// <summary>
    /// Pauses (holds waiting messages), resumes (queues them again) or cancels; null when the mailing's
    /// state does not allow it. <paramref name="changedBy"/> (a user id) is written into each moved message's history.
    /// </summary>
    public async Task<int?> ChangeStateAsync(string mailingId, MailingState state, string changedBy, CancellationToken cancellationToken = default)
    {
        // The history reason of every message moved: the same words whether the API or the web UI did it.
        var reason = state switch
        {
            MailingState.Paused => $"Held: mailing paused by {changedBy}.",
            MailingState.Running => $"Queued again: mailing resumed by {changedBy}.",
            _ => $"Cancelled: mailing cancelled by {changedBy}.",
        };
        var moved = await store.ChangeStateAsync(mailingId, state, reason, clock.GetUtcNow(), cancellationToken);
        if (moved > 0 && state == MailingState.Running) signal.Notify();
        return moved;
    }

    /// <summary>The mailing's progress, or null when there is no such mailing.</summary>
    public async Task<MailingProgress?> GetProgressAsync(string mailingId, CancellationToken cancellationToken = default) =>
        await store.GetAsync(mailingId, cancellationToken) is { } mailing ? await ProgressAsync(mailing, cancellationToken) : null;

    /// <summary>Mailings newest first (one sender's, or all) with their progress; each mailing is read once, with the list.</summary>
    public async Task<IReadOnlyList<MailingProgress>> ListProgressAsync(string? senderUserId, int limit, CancellationToken cancellationToken = default)
    {
        var mailings = await store.ListAsync(senderUserId, limit, cancellationToken);
        var progress = new List<MailingProgress>(mailings.Count);
        foreach (var mailing in mailings) progress.Add(await ProgressAsync(mailing, cancellationToken));
        return progress;
    }

    private async Task<MailingProgress> ProgressAsync(Mailing mailing, CancellationToken cancellationToken)
    {
        var mailingId = mailing.Id;
        var now = clock.GetUtcNow();
        var counts = await store.CountAsync(mailingId, now - TimeSpan.FromMinutes(1), cancellationToken);
        int Count(MessageStatus s) => counts.ByStatus.GetValueOrDefault(s);
        var byName = Enum.GetValues<MessageStatus>().ToDictionary(s => s.Name(), Count);
        byName["rejected"] = counts.Rejected;
        var queued = byName.Values.Sum() - counts.Rejected;
        var total = Math.Max(mailing.TotalRows, queued + counts.Rejected);
        var done = Count(MessageStatus.Sent) + Count(MessageStatus.Failed) + Count(MessageStatus.Cancelled) + counts.Rejected;
        var waiting = total - done;
        double rate = counts.SentSince;
        double? secondsLeft = waiting == 0 ? 0 : rate > 0 ? Math.Round(waiting / (rate / 60.0)) : null;
        var completed = mailing.State != MailingState.Feeding && waiting == 0;
        var percent = total == 0 ? (completed ? 100 : 0) : Math.Floor(done * 1000.0 / total) / 10;
        return new MailingProgress(mailing, byName, total, done, percent, rate, secondsLeft, completed);
    }

    /// <summary>Mailings newest first (one sender's, or all).</summary>
    public Task<IReadOnlyList<Mailing>> ListAsync(string? senderUserId, int limit, CancellationToken cancellationToken = default) =>
        store.ListAsync(senderUserId, limit, cancellationToken);

    /// <summary>One mailing, or null.</summary>
    public Task<Mailing?> GetAsync(string mailingId, CancellationToken cancellationToken = default) => store.GetAsync(mailingId, cancellationToken);

    /// <summary>The header of the CSV report.</summary>
    public static readonly string[] ReportColumns = ["row", "email", "status", "reason", "messageId", "updatedAt"];

    /// <summary>The per-recipient report as CSV lines (header first), streamed; reasons in <paramref name="language"/>.</summary>
    public async IAsyncEnumerable<string> ReportCsvAsync(string mailingId, string language, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return CsvCells.Line(ReportColumns);
        await foreach (var row in store.ReadReportAsync(mailingId, cancellationToken))
        {
            var status = row.Status?.Name() ?? "rejected";
            var reason = row.ProblemCode is null
                ? row.StatusReason
                : new ValidationIssue(row.ProblemField ?? "", row.ProblemCode, IssueSeverity.Error,
                    row.ProblemArgsJson is null ? null : StoredDocuments.Deserialize<Dictionary<string, object?>>(row.ProblemArgsJson)).Message(language);
            yield return CsvCells.Line([
                row.Row.ToString(System.Globalization.CultureInfo.InvariantCulture), row.Address, status, reason, row.MessageId,
                row.UpdatedAt?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ]);
        }
    }

    private sealed class AttachmentCache(IReadOnlyList<MailingFile> files)
    {
        private readonly Dictionary<string, MessageAttachment?> _read = new(StringComparer.Ordinal);

        public async Task<MessageAttachment?> GetAsync(string name, CancellationToken cancellationToken)
        {
            if (_read.TryGetValue(name, out var known)) return known;
            MessageAttachment? attachment = null;
            if (files.FirstOrDefault(f => f.FileName == name) is { } file)
            {
                try
                {
                    var bytes = await file.ReadAsync(cancellationToken);
                    if (bytes.Length > 0) attachment = new MessageAttachment(file.FileName, file.ContentType, bytes);
                }
                catch (IOException)
                {
                    attachment = null; // unreadable: every row naming it is reported
                }
            }
            return _read[name] = attachment;
        }
    }
}
