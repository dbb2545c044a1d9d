using System.Collections.Concurrent;
using Mailroom.Core.Mail;
using Mailroom.Core.Queue;

namespace Mailroom.Storage.Compliance;

/// <summary>What every backend's <see cref="IMessageQueueStorage"/> must do.</summary>
public abstract class MessageQueueStorageCompliance : IAsyncLifetime
{
    private IStorageBackend? _backend;

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    protected IMessageQueueStorage Queue => _backend!.Queue;

    public async Task InitializeAsync() => _backend = await CreateBackendAsync();

    public async Task DisposeAsync()
    {
        if (_backend is not null) await _backend.DisposeAsync();
    }

    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static MessageDraft Draft(string subject = "Faktura", MessagePriority priority = MessagePriority.Notification, string? sender = null, string? key = null) => new()
    {
        SenderUserId = sender,
        To = ["klient@example.com"],
        Cc = ["ksiegowosc@example.com"],
        Bcc = ["archiwum@example.com"],
        Subject = subject,
        TextBody = "Dzień dobry",
        HtmlBody = "<p>Dzień dobry</p>",
        Priority = priority,
        IdempotencyKey = key,
    };

    [Fact]
    public async Task Enqueue_StoresTheDraftWithAttachments_AsQueued_WithHistory()
    {
        var draft = Draft() with { Attachments = [new MessageAttachment("faktura.pdf", "application/pdf", [1, 2, 3, 0, 255])] };

        var result = await Queue.EnqueueAsync(draft, T0);
        var stored = await Queue.GetAsync(result.Id);

        Assert.False(result.Duplicate);
        Assert.Equal(MessageStatus.Queued, stored!.Status);
        Assert.Equal(draft.To, stored.Draft.To);
        Assert.Equal(draft.Cc, stored.Draft.Cc);
        Assert.Equal(draft.Bcc, stored.Draft.Bcc);
        Assert.Equal("Dzień dobry", stored.Draft.TextBody);
        Assert.Equal("<p>Dzień dobry</p>", stored.Draft.HtmlBody);
        var attachment = Assert.Single(stored.Draft.Attachments);
        Assert.Equal(("faktura.pdf", "application/pdf"), (attachment.FileName, attachment.ContentType));
        Assert.Equal([1, 2, 3, 0, 255], attachment.Content);
        Assert.Equal(T0, stored.CreatedAt);
        Assert.Equal(MessageStatus.Queued, Assert.Single(await Queue.GetHistoryAsync(result.Id)).Status);
    }

    // A 20 kB "PDF" like a mailing's invoice; a new array every call, so sharing is by content, not by reference.
    private static byte[] Invoice(byte fill = 7)
    {
        var content = new byte[20_000];
        Array.Fill(content, fill);
        content[0] = 0x25; // '%'
        return content;
    }

    [Fact]
    public async Task SharedAttachmentContent_IsStoredOnce_AndEveryMessageDeliversIt()
    {
        var first = await Queue.EnqueueAsync(Draft("one") with { Attachments = [new MessageAttachment("faktura.pdf", "application/pdf", Invoice())] }, T0);
        var second = await Queue.EnqueueAsync(Draft("two") with
        {
            Attachments = [new MessageAttachment("invoice.pdf", "application/pdf", Invoice()), new MessageAttachment("other.pdf", "application/pdf", Invoice(9))],
        }, T0.AddSeconds(1));

        Assert.Equal(2, await _backend!.CountAttachmentContentsAsync()); // the invoice once, the other file once
        var claimed = await Queue.ClaimAsync("worker-1", 10, Lease, T0.AddSeconds(2));
        Assert.Equal([first.Id, second.Id], claimed.Select(c => c.Message.Id).Order());
        var one = claimed.Single(c => c.Message.Id == first.Id).Message.Draft.Attachments;
        var two = claimed.Single(c => c.Message.Id == second.Id).Message.Draft.Attachments;
        Assert.Equal("faktura.pdf", Assert.Single(one).FileName);
        Assert.Equal(Invoice(), one[0].Content);
        Assert.Equal(["invoice.pdf", "other.pdf"], two.Select(a => a.FileName));
        Assert.Equal(Invoice(), two[0].Content);
        Assert.Equal(Invoice(9), two[1].Content);
        Assert.Equal(Invoice(), (await Queue.GetAsync(second.Id))!.Draft.Attachments[0].Content);
    }

    [Fact]
    public async Task DeletingAMessage_KeepsSharedContentForTheOthers_AndTheLastOneTakesItAway()
    {
        var first = await Queue.EnqueueAsync(Draft("one") with { Attachments = [new MessageAttachment("faktura.pdf", "application/pdf", Invoice())] }, T0);
        var second = await Queue.EnqueueAsync(Draft("two") with { Attachments = [new MessageAttachment("faktura.pdf", "application/pdf", Invoice())] }, T0.AddSeconds(1));

        await _backend!.DeleteMessageRowsAsync(first.Id);

        Assert.Null(await Queue.GetAsync(first.Id));
        Assert.Equal(1, await _backend.CountAttachmentContentsAsync());
        var claimed = Assert.Single(await Queue.ClaimAsync("worker-1", 10, Lease, T0.AddSeconds(2)));
        Assert.Equal(second.Id, claimed.Message.Id);
        Assert.Equal(Invoice(), Assert.Single(claimed.Message.Draft.Attachments).Content);

        await _backend.DeleteMessageRowsAsync(second.Id);
        Assert.Equal(0, await _backend.CountAttachmentContentsAsync()); // nothing orphaned

        // Stored again after it was released: a new message brings its content back.
        var third = await Queue.EnqueueAsync(Draft("three") with { Attachments = [new MessageAttachment("faktura.pdf", "application/pdf", Invoice())] }, T0.AddSeconds(3));
        Assert.Equal(Invoice(), Assert.Single((await Queue.GetAsync(third.Id))!.Draft.Attachments).Content);
    }

    [Fact]
    public async Task SharedContent_StillReferredTo_CannotBeDeleted()
    {
        var message = await Queue.EnqueueAsync(Draft() with { Attachments = [new MessageAttachment("faktura.pdf", "application/pdf", Invoice())] }, T0);

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => _backend!.DeleteAttachmentContentsAsync());

        Assert.Equal(1, await _backend!.CountAttachmentContentsAsync());
        Assert.Equal(Invoice(), Assert.Single((await Queue.GetAsync(message.Id))!.Draft.Attachments).Content);
    }

    [Fact]
    public async Task RepeatedIdempotencyKey_ReturnsTheFirstMessage_AndQueuesNothing()
    {
        var first = await Queue.EnqueueAsync(Draft(key: "invoice-42"), T0);
        var again = await Queue.EnqueueAsync(Draft("other subject", key: "invoice-42"), T0.AddSeconds(1));
        var otherSender = await Queue.EnqueueAsync(Draft(sender: "anna", key: "invoice-42"), T0.AddSeconds(2));

        Assert.True(again.Duplicate);
        Assert.Equal(first.Id, again.Id);
        Assert.False(otherSender.Duplicate);
        Assert.NotEqual(first.Id, otherSender.Id);
        Assert.Equal(2, (await Queue.CountByStatusAsync())[MessageStatus.Queued]);
    }

    [Fact]
    public async Task Summarize_CountsByStatus_SentSince_AndTheOldestWaiting()
    {
        var empty = await Queue.SummarizeAsync(T0);
        Assert.All(MessageStatuses.All, status => Assert.Equal(0, empty.Counts[status]));
        Assert.Equal((0, (DateTimeOffset?)null), (empty.SentSince, empty.OldestWaitingCreatedAt));

        var sentYesterday = await Queue.EnqueueAsync(Draft("yesterday"), T0.AddDays(-1));
        var sentToday = await Queue.EnqueueAsync(Draft("today"), T0.AddDays(-1).AddSeconds(1));
        var deferred = await Queue.EnqueueAsync(Draft("deferred"), T0.AddHours(-5));
        var claims = (await Queue.ClaimAsync("w1", 10, Lease, T0.AddDays(-1).AddMinutes(1))).ToDictionary(c => c.Message.Id);
        await Queue.CompleteAsync(sentYesterday.Id, claims[sentYesterday.Id].LeaseToken, new MessageTransition(MessageStatus.Sent, "Delivered."), T0.AddDays(-1).AddMinutes(2));
        await Queue.CompleteAsync(sentToday.Id, claims[sentToday.Id].LeaseToken, new MessageTransition(MessageStatus.Sent, "Delivered."), T0.AddMinutes(3));
        var deferredClaim = Assert.Single(await Queue.ClaimAsync("w1", 10, Lease, T0.AddHours(-4)));
        await Queue.CompleteAsync(deferred.Id, deferredClaim.LeaseToken, new MessageTransition(MessageStatus.Deferred, "later", T0.AddHours(1)), T0.AddHours(-4));
        await Queue.EnqueueAsync(Draft("queued"), T0.AddHours(-2));
        var cancelled = await Queue.EnqueueAsync(Draft("cancelled, older than any waiting"), T0.AddDays(-3));
        await Queue.CancelAsync(cancelled.Id, "no", T0);

        var summary = await Queue.SummarizeAsync(T0);

        Assert.Equal(2, summary.Counts[MessageStatus.Sent]);
        Assert.Equal(1, summary.Counts[MessageStatus.Deferred]);
        Assert.Equal(1, summary.Counts[MessageStatus.Queued]);
        Assert.Equal(1, summary.Counts[MessageStatus.Cancelled]);
        Assert.Equal(await Queue.CountByStatusAsync(), summary.Counts);
        Assert.Equal(1, summary.SentSince); // the one sent today, not yesterday's
        Assert.Equal(T0.AddHours(-5), summary.OldestWaitingCreatedAt); // the deferred one, not the older cancelled one
    }

    [Fact]
    public async Task Claim_TakesTestBeforeNotificationBeforeBulk_ThenOldestFirst()
    {
        var bulk = await Queue.EnqueueAsync(Draft("bulk", MessagePriority.Bulk), T0);
        var olderNotification = await Queue.EnqueueAsync(Draft("n1"), T0.AddSeconds(1));
        var newerNotification = await Queue.EnqueueAsync(Draft("n2"), T0.AddSeconds(2));
        var test = await Queue.EnqueueAsync(Draft("test", MessagePriority.Test), T0.AddSeconds(3));

        var claimed = await Queue.ClaimAsync("w1", 10, Lease, T0.AddMinutes(1));

        Assert.Equal([test.Id, olderNotification.Id, newerNotification.Id, bulk.Id], claimed.Select(c => c.Message.Id));
        Assert.All(claimed, c => Assert.Equal(MessageStatus.Sending, c.Message.Status));
        Assert.All(claimed, c => Assert.Equal(1, c.Message.Attempts));
        // A token may be per message or per claim: fencing only needs a later claim to get a new one.
        Assert.All(claimed, c => Assert.False(string.IsNullOrEmpty(c.LeaseToken)));
    }

    [Fact]
    public async Task Claim_WaitsForSendAfter()
    {
        var later = await Queue.EnqueueAsync(Draft() with { SendAfter = T0.AddHours(1) }, T0);

        Assert.Empty(await Queue.ClaimAsync("w1", 10, Lease, T0.AddMinutes(59)));
        Assert.Equal(later.Id, Assert.Single(await Queue.ClaimAsync("w1", 10, Lease, T0.AddHours(1))).Message.Id);
    }

    [Fact]
    public async Task Claim_SkipsMessagesLeasedByAnotherWorker_UntilTheLeaseExpires()
    {
        var queued = await Queue.EnqueueAsync(Draft(), T0);
        var first = Assert.Single(await Queue.ClaimAsync("w1", 10, Lease, T0));

        Assert.Empty(await Queue.ClaimAsync("w2", 10, Lease, T0.AddMinutes(4)));
        var second = Assert.Single(await Queue.ClaimAsync("w2", 10, Lease, T0.AddMinutes(6)));

        Assert.Equal(queued.Id, second.Message.Id);
        Assert.NotEqual(first.LeaseToken, second.LeaseToken);
        Assert.Equal(2, second.Message.Attempts);
        Assert.Contains(await Queue.GetHistoryAsync(queued.Id), h => h.Reason.Contains("lease expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Complete_WithALostLease_IsRefused_AndTheSuccessorsResultStands()
    {
        var queued = await Queue.EnqueueAsync(Draft(), T0);
        var stale = Assert.Single(await Queue.ClaimAsync("w1", 10, Lease, T0));
        var successor = Assert.Single(await Queue.ClaimAsync("w2", 10, Lease, T0.AddMinutes(6)));

        Assert.True(await Queue.CompleteAsync(queued.Id, successor.LeaseToken, new MessageTransition(MessageStatus.Sent, "Delivered."), T0.AddMinutes(7)));
        Assert.False(await Queue.CompleteAsync(queued.Id, stale.LeaseToken, new MessageTransition(MessageStatus.Failed, "late"), T0.AddMinutes(8)));
        Assert.False(await Queue.RenewLeaseAsync(queued.Id, stale.LeaseToken, T0.AddHours(1)));

        var message = await Queue.GetAsync(queued.Id);
        Assert.Equal(MessageStatus.Sent, message!.Status);
        Assert.DoesNotContain(await Queue.GetHistoryAsync(queued.Id), h => h.Reason == "late");
    }

    [Fact]
    public async Task RenewedLease_KeepsOtherWorkersAway()
    {
        var queued = await Queue.EnqueueAsync(Draft(), T0);
        var claim = Assert.Single(await Queue.ClaimAsync("w1", 10, Lease, T0));

        Assert.True(await Queue.RenewLeaseAsync(queued.Id, claim.LeaseToken, T0.AddMinutes(20)));

        Assert.Empty(await Queue.ClaimAsync("w2", 10, Lease, T0.AddMinutes(10)));
    }

    [Fact]
    public async Task Deferred_IsNotClaimedBeforeItsNextAttempt_AndKeepsReplyAndRecipientsInHistory()
    {
        var queued = await Queue.EnqueueAsync(Draft(), T0);
        var claim = Assert.Single(await Queue.ClaimAsync("w1", 10, Lease, T0));
        var reply = SmtpReply.From(451, "4.7.1 Try again later");
        RecipientOutcome[] recipients = [new("klient@example.com", false, reply)];

        await Queue.CompleteAsync(queued.Id, claim.LeaseToken, new MessageTransition(MessageStatus.Deferred, "Server asked to try later.", T0.AddMinutes(5), reply, recipients), T0);

        Assert.Empty(await Queue.ClaimAsync("w1", 10, Lease, T0.AddMinutes(4)));
        Assert.Single(await Queue.ClaimAsync("w1", 10, Lease, T0.AddMinutes(5)));
        var deferred = (await Queue.GetHistoryAsync(queued.Id)).Single(h => h.Status == MessageStatus.Deferred);
        Assert.Equal(451, deferred.Reply!.Code);
        Assert.Equal("4.7.1", deferred.Reply.EnhancedCode);
        Assert.Equal("4.7.1 Try again later", deferred.Reply.Text);
        Assert.Equal(recipients, deferred.Recipients);
        Assert.Equal([MessageStatus.Queued, MessageStatus.Sending, MessageStatus.Deferred, MessageStatus.Sending],
            (await Queue.GetHistoryAsync(queued.Id)).Select(h => h.Status));
    }

    [Fact]
    public async Task Cancel_WorksOnWaitingMessagesOnly_AndRetryQueuesAFailedMessageNow()
    {
        var waiting = await Queue.EnqueueAsync(Draft("a"), T0);
        var failed = await Queue.EnqueueAsync(Draft("b"), T0);
        var claims = await Queue.ClaimAsync("w1", 10, Lease, T0);
        var failedClaim = claims.Single(c => c.Message.Id == failed.Id);
        await Queue.CompleteAsync(failed.Id, failedClaim.LeaseToken, new MessageTransition(MessageStatus.Failed, "550 no such user"), T0);
        var third = await Queue.EnqueueAsync(Draft("c"), T0);

        Assert.False(await Queue.CancelAsync(waiting.Id, "sending right now", T0)); // leased: sending
        Assert.True(await Queue.CancelAsync(third.Id, "not needed", T0));
        Assert.False(await Queue.CancelAsync(third.Id, "twice", T0));
        Assert.True(await Queue.RetryAsync(failed.Id, "Retried by admin.", T0.AddMinutes(1)));

        Assert.Equal(MessageStatus.Cancelled, (await Queue.GetAsync(third.Id))!.Status);
        var retried = await Queue.GetAsync(failed.Id);
        Assert.Equal(MessageStatus.Queued, retried!.Status);
        Assert.Equal(failed.Id, Assert.Single(await Queue.ClaimAsync("w1", 10, Lease, T0.AddMinutes(2))).Message.Id);
    }

    [Fact]
    public async Task HoldSender_HoldsOnlyThatSendersWaitingMessages_AndReleaseQueuesThemAgain()
    {
        var annaWaiting = await Queue.EnqueueAsync(Draft(sender: "anna"), T0);
        var janWaiting = await Queue.EnqueueAsync(Draft(sender: "jan"), T0);
        var globalWaiting = await Queue.EnqueueAsync(Draft(), T0);

        Assert.Equal(1, await Queue.HoldSenderAsync("anna", "535 bad credentials", T0));
        Assert.Equal(1, await Queue.HoldSenderAsync(null, "TLS failed", T0));

        Assert.Equal(MessageStatus.Held, (await Queue.GetAsync(annaWaiting.Id))!.Status);
        Assert.Equal(MessageStatus.Queued, (await Queue.GetAsync(janWaiting.Id))!.Status);
        Assert.Equal(MessageStatus.Held, (await Queue.GetAsync(globalWaiting.Id))!.Status);
        Assert.Equal(janWaiting.Id, Assert.Single(await Queue.ClaimAsync("w1", 10, Lease, T0)).Message.Id);

        Assert.Equal(1, await Queue.ReleaseHeldAsync("anna", allSenders: false, "Settings changed.", T0));
        Assert.Equal(MessageStatus.Queued, (await Queue.GetAsync(annaWaiting.Id))!.Status);
        Assert.Equal(1, await Queue.ReleaseHeldAsync(null, allSenders: true, "Global settings changed.", T0));
        Assert.Equal(MessageStatus.Queued, (await Queue.GetAsync(globalWaiting.Id))!.Status);
    }

    [Fact]
    public async Task List_PagesNewestFirst_AndFiltersByStatusAndSender()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add((await Queue.EnqueueAsync(Draft($"m{i}", sender: i % 2 == 0 ? "anna" : null), T0.AddSeconds(i))).Id);
        var claim = await Queue.ClaimAsync("w1", 1, Lease, T0.AddMinutes(1));

        var first = await Queue.ListAsync(null, null, 2, null);
        var second = await Queue.ListAsync(null, null, 2, first.NextCursor);
        var third = await Queue.ListAsync(null, null, 2, second.NextCursor);

        Assert.Equal([ids[4], ids[3]], first.Items.Select(m => m.Id));
        Assert.Equal([ids[2], ids[1]], second.Items.Select(m => m.Id));
        Assert.Equal([ids[0]], third.Items.Select(m => m.Id));
        Assert.Null(third.NextCursor);
        Assert.Equal(claim[0].Message.Id, Assert.Single((await Queue.ListAsync(MessageStatus.Sending, null, 10, null)).Items).Id);
        Assert.Equal(3, (await Queue.ListAsync(null, "anna", 10, null)).Items.Count);
    }

    [Fact]
    public async Task ConcurrentWorkers_NeverClaimTheSameMessageTwice()
    {
        const int count = 120;
        for (var i = 0; i < count; i++) await Queue.EnqueueAsync(Draft($"m{i}"), T0);
        var seen = new ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var round = 0; round < 100; round++)
            {
                var claimed = await Queue.ClaimAsync($"w{worker}", 7, Lease, T0.AddMinutes(1));
                if (claimed.Count == 0) return;
                foreach (var c in claimed)
                {
                    seen.Add(c.Message.Id);
                    Assert.True(await Queue.CompleteAsync(c.Message.Id, c.LeaseToken, new MessageTransition(MessageStatus.Sent, "ok"), T0.AddMinutes(1)));
                }
            }
        })));

        Assert.Equal(count, seen.Count);
        Assert.Equal(count, seen.Distinct().Count());
        Assert.Equal(count, (await Queue.CountByStatusAsync())[MessageStatus.Sent]);
    }
}
