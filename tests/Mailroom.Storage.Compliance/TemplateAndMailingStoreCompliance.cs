using Mailroom.Core.Mail;
using Mailroom.Core.Mailings;
using Mailroom.Core.Queue;
using Mailroom.Core.Storage;
using Mailroom.Core.Templates;

namespace Mailroom.Storage.Compliance;

/// <summary>What every backend's <see cref="ITemplateStore"/> and <see cref="IMailingStore"/> must do.</summary>
public abstract class TemplateAndMailingStoreCompliance : IAsyncLifetime
{
    private IStorageBackend? _backend;

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    private IStorageBackend Backend => _backend!;

    public async Task InitializeAsync() => _backend = await CreateBackendAsync();

    public async Task DisposeAsync()
    {
        if (_backend is not null) await _backend.DisposeAsync();
    }

    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static MessageTemplate Template(string name, string subject) => new()
    {
        Name = name, Version = 0, Description = "Opis", CreatedBy = "admin", CreatedAt = T0, SampleDataJson = """{"n":"1"}""",
        Languages = new Dictionary<string, TemplateContent> { ["pl"] = new(subject, "Treść {{n}}", null), ["en"] = new(subject, null, "<p>{{n}}</p>") },
    };

    [Fact]
    public async Task EverySave_IsANewVersion_OlderVersionsStayReadable()
    {
        var first = await Backend.Templates.SaveAsync(Template("faktura", "Faktura v1"));
        var second = await Backend.Templates.SaveAsync(Template("faktura", "Faktura v2"));
        await Backend.Templates.SaveAsync(Template("inny", "Inny"));

        Assert.Equal((1, 2), (first.Version, second.Version));
        Assert.Equal("Faktura v2", (await Backend.Templates.GetAsync("faktura", null))!.Languages["pl"].Subject);
        var old = (await Backend.Templates.GetAsync("faktura", 1))!;
        Assert.Equal("Faktura v1", old.Languages["pl"].Subject);
        Assert.Equal("<p>{{n}}</p>", old.Languages["en"].Html);
        Assert.Null(old.Languages["en"].Text);
        Assert.Equal(("Opis", "admin", T0, """{"n":"1"}"""), (old.Description, old.CreatedBy, old.CreatedAt, old.SampleDataJson));
        Assert.Null(await Backend.Templates.GetAsync("faktura", 3));
        Assert.Null(await Backend.Templates.GetAsync("brak", null));
        Assert.Equal([2, 1], await Backend.Templates.ListVersionsAsync("faktura"));
        Assert.Equal([("faktura", 2), ("inny", 1)], (await Backend.Templates.ListAsync()).Select(t => (t.Name, t.Version)));
    }

    [Fact]
    public async Task RecipientLanguage_IsRememberedCaseInsensitively_AndReplaced()
    {
        Assert.Null(await Backend.Templates.GetRecipientLanguageAsync("anna@example.com"));

        await Backend.Templates.SetRecipientLanguageAsync("Anna@Example.com", "en", T0);
        Assert.Equal("en", await Backend.Templates.GetRecipientLanguageAsync("anna@example.com"));
        await Backend.Templates.SetRecipientLanguageAsync("anna@example.com", "pl", T0);
        Assert.Equal("pl", await Backend.Templates.GetRecipientLanguageAsync("ANNA@example.com"));
    }

    private static Mailing NewMailing(string id) => new()
    {
        Id = id, Name = "Faktury listopad", TemplateName = "faktura", TemplateVersion = 2, Language = "pl", SenderUserId = "anna",
        CreatedBy = "anna", CreatedAt = T0, State = MailingState.Feeding,
    };

    private static MailingRow Good(int row, string address, params MessageAttachment[] attachments) => new(row, address, new MessageDraft
    {
        SenderUserId = "anna", To = [address], Subject = $"Faktura {row}", TextBody = "x", Priority = MessagePriority.Bulk, Attachments = attachments,
        Template = new TemplateReference("faktura", 2, "pl"),
    }, null);

    private static MailingRow Bad(int row, string? address, string code) =>
        new(row, address, null, TemplateCodes.Issue("email", code, ("value", address)));

    [Fact]
    public async Task Append_QueuesGoodRowsWithAttachments_StoresBadRowsWithReasons_ReportInRowOrder()
    {
        await Backend.Mailings.CreateAsync(NewMailing("m1"));
        var pdf = new MessageAttachment("fv-1.pdf", "application/pdf", [37, 80, 68, 70]);

        await Backend.Mailings.AppendAsync("m1", [Good(1, "a@example.com", pdf), Bad(2, "zly-adres", MessageDraftValidator.RecipientInvalid)], T0);
        await Backend.Mailings.AppendAsync("m1", [Good(3, "c@example.com")], T0);
        await Backend.Mailings.FinishFeedingAsync("m1", 3);

        var mailing = (await Backend.Mailings.GetAsync("m1"))!;
        Assert.Equal((MailingState.Running, 3, 2), (mailing.State, mailing.TotalRows, mailing.TemplateVersion));
        var counts = await Backend.Mailings.CountAsync("m1", T0);
        Assert.Equal(2, counts.ByStatus[MessageStatus.Queued]);
        Assert.Equal(1, counts.Rejected);
        var report = await ReadReportAsync("m1");
        Assert.Equal([1, 2, 3], report.Select(r => r.Row));
        Assert.Equal(MessageStatus.Queued, report[0].Status);
        Assert.Null(report[1].Status);
        Assert.Equal((MessageDraftValidator.RecipientInvalid, "email"), (report[1].ProblemCode, report[1].ProblemField));
        Assert.Contains("zly-adres", report[1].ProblemArgsJson);
        var queued = (await Backend.Queue.GetAsync(report[0].MessageId!))!;
        Assert.Equal([37, 80, 68, 70], queued.Draft.Attachments.Single().Content);
        Assert.Equal(new TemplateReference("faktura", 2, "pl"), queued.Draft.Template);
        Assert.Equal(["m1"], (await Backend.Mailings.ListAsync("anna", 10)).Select(m => m.Id));
        Assert.Empty(await Backend.Mailings.ListAsync("jan", 10));
    }

    [Fact]
    public async Task Append_ABatchSharingOneAttachment_StoresItOnce_EveryMessageHasIt_InRowOrder()
    {
        await Backend.Mailings.CreateAsync(NewMailing("m1"));
        var invoice = new MessageAttachment("invoice.pdf", "application/pdf", Enumerable.Range(0, 20_000).Select(i => (byte)i).ToArray());
        var rows = Enumerable.Range(1, 300).Select(i => i % 100 == 0 ? Bad(i, $"bad-{i}", MessageDraftValidator.RecipientInvalid) : Good(i, $"r{i}@example.com", invoice)).ToArray();

        await Backend.Mailings.AppendAsync("m1", rows[..150], T0);
        await Backend.Mailings.AppendAsync("m1", rows[150..], T0);

        Assert.Equal(1, await Backend.CountAttachmentContentsAsync());
        var report = await ReadReportAsync("m1");
        Assert.Equal(Enumerable.Range(1, 300), report.Select(r => r.Row));
        Assert.Equal(rows.Select(r => r.Address), report.Select(r => r.Address));
        Assert.Equal(3, report.Count(r => r.MessageId is null && r.ProblemCode == MessageDraftValidator.RecipientInvalid));
        foreach (var row in report.Where(r => r.MessageId is not null).Take(3).Append(report.Last(r => r.MessageId is not null)))
        {
            var message = (await Backend.Queue.GetAsync(row.MessageId!))!;
            Assert.Equal([row.Address!], message.Draft.To);
            Assert.Equal(invoice.Content, Assert.Single(message.Draft.Attachments).Content);
        }
        Assert.Equal(297, (await Backend.Mailings.CountAsync("m1", T0)).ByStatus[MessageStatus.Queued]);
        Assert.Equal(MessageStatus.Queued, Assert.Single(await Backend.Queue.GetHistoryAsync(report[^2].MessageId!)).Status);
    }

    [Fact]
    public async Task PauseHoldsWaitingMessages_RowsAddedWhilePausedArriveHeld_ResumeQueues_CancelIsFinal()
    {
        await Backend.Mailings.CreateAsync(NewMailing("m2"));
        await Backend.Mailings.AppendAsync("m2", [Good(1, "a@example.com"), Good(2, "b@example.com")], T0);

        Assert.Equal(2, await Backend.Mailings.ChangeStateAsync("m2", MailingState.Paused, "Paused by anna.", T0));
        await Backend.Mailings.AppendAsync("m2", [Good(3, "c@example.com")], T0);
        Assert.Equal(3, (await Backend.Mailings.CountAsync("m2", T0)).ByStatus[MessageStatus.Held]);
        Assert.Null(await Backend.Mailings.ChangeStateAsync("m2", MailingState.Paused, "again", T0));
        Assert.Empty(await Backend.Queue.ClaimAsync("w", 10, TimeSpan.FromMinutes(1), T0.AddMinutes(1)));

        Assert.Equal(3, await Backend.Mailings.ChangeStateAsync("m2", MailingState.Running, "Resumed.", T0.AddMinutes(1)));
        var claimed = await Backend.Queue.ClaimAsync("w", 1, TimeSpan.FromMinutes(1), T0.AddMinutes(1));
        Assert.Single(claimed);
        Assert.True(await Backend.Queue.CompleteAsync(claimed[0].Message.Id, claimed[0].LeaseToken,
            new MessageTransition(MessageStatus.Sent, "Sent."), T0.AddMinutes(2)));

        Assert.Equal(2, await Backend.Mailings.ChangeStateAsync("m2", MailingState.Cancelled, "Cancelled.", T0.AddMinutes(3)));
        Assert.Null(await Backend.Mailings.ChangeStateAsync("m2", MailingState.Running, "no", T0));
        Assert.Null(await Backend.Mailings.ChangeStateAsync("m2", MailingState.Cancelled, "no", T0));
        var counts = await Backend.Mailings.CountAsync("m2", T0.AddMinutes(2));
        Assert.Equal((1, 2), (counts.ByStatus[MessageStatus.Sent], counts.ByStatus[MessageStatus.Cancelled]));
        Assert.Equal(1, counts.SentSince);
        Assert.Equal(0, (await Backend.Mailings.CountAsync("m2", T0.AddMinutes(3))).SentSince);
        var rows = await ReadReportAsync("m2");
        var history = await Backend.Queue.GetHistoryAsync(rows[0].MessageId!);
        Assert.Contains(history, h => h.Status == MessageStatus.Held && h.Reason == "Paused by anna.");
        Assert.Contains(await Backend.Queue.GetHistoryAsync(rows[2].MessageId!), h => h.Status == MessageStatus.Held && h.Reason != "Paused by anna.");
        Assert.Equal(MailingState.Cancelled, (await Backend.Mailings.GetAsync("m2"))!.State);
    }

    [Fact]
    public async Task Append_ARowWhoseIdempotencyKeyItsSenderUsed_IsABadRowWithTheReason_AndTheRestIsQueued()
    {
        await Backend.Mailings.CreateAsync(NewMailing("m3"));
        static MailingRow Keyed(int row, string address, string key, string sender = "anna")
        {
            var good = Good(row, address);
            return good with { Draft = good.Draft! with { IdempotencyKey = key, SenderUserId = sender } };
        }
        var earlier = await Backend.Queue.EnqueueAsync(Keyed(0, "x@example.com", "fv-1").Draft!, T0);

        // Used before by a single message (row 1) and on an earlier row of the batch (row 3); the same key of another sender is that sender's own (row 4).
        await Backend.Mailings.AppendAsync("m3", [Keyed(1, "a@example.com", "fv-1"), Keyed(2, "b@example.com", "fv-2"), Keyed(3, "c@example.com", "fv-2"),
            Keyed(4, "d@example.com", "fv-1", sender: "jan")], T0);
        // Used in an earlier batch of the same mailing (row 5).
        await Backend.Mailings.AppendAsync("m3", [Keyed(5, "e@example.com", "fv-2"), Keyed(6, "f@example.com", "fv-6")], T0);

        var counts = await Backend.Mailings.CountAsync("m3", T0);
        Assert.Equal((3, 3), (counts.ByStatus[MessageStatus.Queued], counts.Rejected));
        var report = await ReadReportAsync("m3");
        Assert.Equal([1, 3, 5], report.Where(r => r.MessageId is null).Select(r => r.Row));
        foreach (var (row, key) in new[] { (report[0], "fv-1"), (report[2], "fv-2"), (report[4], "fv-2") })
        {
            Assert.Equal((TemplateCodes.RowIdempotencyKeyUsed, "idempotencyKey"), (row.ProblemCode, row.ProblemField));
            var args = Mailroom.Core.Storage.StoredDocuments.Deserialize<Dictionary<string, object?>>(row.ProblemArgsJson!);
            Assert.Contains($"'{key}' was already used", Mailroom.Core.Localization.Messages.Format(row.ProblemCode!, "en", args));
            Assert.Contains($"Klucz idempotencji '{key}'", Mailroom.Core.Localization.Messages.Format(row.ProblemCode!, "pl", args));
        }
        Assert.All(new[] { report[1], report[3], report[5] }, row => Assert.Equal(MessageStatus.Queued, row.Status));
        Assert.Equal(["x@example.com"], (await Backend.Queue.GetAsync(earlier.Id))!.Draft.To);
    }

    private async Task<List<MailingReportRow>> ReadReportAsync(string mailingId)
    {
        var rows = new List<MailingReportRow>();
        await foreach (var row in Backend.Mailings.ReadReportAsync(mailingId)) rows.Add(row);
        return rows;
    }
}
