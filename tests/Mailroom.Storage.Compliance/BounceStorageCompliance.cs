using Mailroom.Core.Audit;
using Mailroom.Core.Bounces;
using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Settings;
using Mailroom.Core.Suppression;

namespace Mailroom.Storage.Compliance;

/// <summary>A backend with the bounce stores (issue 6) as well.</summary>
public interface IBounceStorageBackend : IStorageBackend
{
    ISuppressionStore Suppressions { get; }
    IInboundMailStore InboundMail { get; }
}

/// <summary>What every backend's suppression list, kept inbound mail, bounce recording and reply-to relay settings must do.</summary>
public abstract class BounceStorageCompliance : IAsyncLifetime
{
    private IBounceStorageBackend? _backend;

    protected abstract Task<IBounceStorageBackend> CreateBackendAsync();

    private IBounceStorageBackend Backend => _backend!;

    public async Task InitializeAsync() => _backend = await CreateBackendAsync();

    public async Task DisposeAsync()
    {
        if (_backend is not null) await _backend.DisposeAsync();
    }

    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private async Task<string> SentMessageAsync()
    {
        var queued = await Backend.Queue.EnqueueAsync(new MessageDraft { To = ["a@example.org", "b@example.org"], Subject = "s", TextBody = "t" }, T0);
        var claim = Assert.Single(await Backend.Queue.ClaimAsync("w", 1, TimeSpan.FromMinutes(1), T0));
        Assert.True(await Backend.Queue.CompleteAsync(queued.Id, claim.LeaseToken, new MessageTransition(MessageStatus.Sent, "accepted"), T0));
        return queued.Id;
    }

    private static MessageTransition Bounce(MessageStatus status) => new(status, "Bounced after it was sent: a@example.org (5.1.1).",
        Reply: new SmtpReply(550, "5.1.1", "user unknown"), Recipients: [new RecipientOutcome("a@example.org", false, new SmtpReply(550, "5.1.1", "user unknown"))]);

    [Fact]
    public async Task RecordBounce_MovesASentMessageToBounced_WithTheDsnInItsHistory()
    {
        var id = await SentMessageAsync();

        Assert.True(await Backend.Queue.RecordBounceAsync(id, Bounce(MessageStatus.Bounced), T0.AddMinutes(5)));

        var message = await Backend.Queue.GetAsync(id);
        Assert.Equal(MessageStatus.Bounced, message!.Status);
        Assert.Equal(1, (await Backend.Queue.CountByStatusAsync())[MessageStatus.Bounced]);
        Assert.Single((await Backend.Queue.ListAsync(MessageStatus.Bounced, null, 10, null)).Items);
        var last = (await Backend.Queue.GetHistoryAsync(id))[^1];
        Assert.Equal(MessageStatus.Bounced, last.Status);
        Assert.Equal(T0.AddMinutes(5), last.At);
        Assert.Equal(new SmtpReply(550, "5.1.1", "user unknown"), last.Reply);
        Assert.Equal("a@example.org", Assert.Single(last.Recipients!).Address);
    }

    [Fact]
    public async Task RecordBounce_APartialBounceKeepsTheMessageSent_AndALaterOneMayBounceIt()
    {
        var id = await SentMessageAsync();

        Assert.True(await Backend.Queue.RecordBounceAsync(id, Bounce(MessageStatus.Sent), T0.AddMinutes(1)));
        Assert.Equal(MessageStatus.Sent, (await Backend.Queue.GetAsync(id))!.Status);
        Assert.True(await Backend.Queue.RecordBounceAsync(id, Bounce(MessageStatus.Bounced), T0.AddMinutes(2)));

        Assert.Equal(MessageStatus.Bounced, (await Backend.Queue.GetAsync(id))!.Status);
        Assert.Equal([MessageStatus.Queued, MessageStatus.Sending, MessageStatus.Sent, MessageStatus.Sent, MessageStatus.Bounced],
            (await Backend.Queue.GetHistoryAsync(id)).Select(h => h.Status));
    }

    [Fact]
    public async Task RecordBounce_OfAMessageNotSent_WritesNothing()
    {
        var queued = await Backend.Queue.EnqueueAsync(new MessageDraft { To = ["a@example.org"], Subject = "s", TextBody = "t" }, T0);

        Assert.False(await Backend.Queue.RecordBounceAsync(queued.Id, Bounce(MessageStatus.Bounced), T0));
        Assert.False(await Backend.Queue.RecordBounceAsync("no-such-message", Bounce(MessageStatus.Bounced), T0));

        Assert.Equal(MessageStatus.Queued, (await Backend.Queue.GetAsync(queued.Id))!.Status);
        Assert.Single(await Backend.Queue.GetHistoryAsync(queued.Id));
        await Assert.ThrowsAsync<ArgumentException>(() => Backend.Queue.RecordBounceAsync(queued.Id, Bounce(MessageStatus.Failed), T0));
    }

    [Fact]
    public async Task Intake_ADsnArrivingBeforeTheWorkerRecordedTheSend_WaitsUnprocessed_AndBouncesTheMessageOnceItIsSent()
    {
        // A fast relay's DSN can be in the bounce mailbox before the worker has written "sent": the report must not be used up then.
        var queued = await Backend.Queue.EnqueueAsync(new MessageDraft { To = ["nobody@bounce.test"], Subject = "s", TextBody = "t" }, T0);
        var claim = Assert.Single(await Backend.Queue.ClaimAsync("w", 1, TimeSpan.FromMinutes(1), T0));
        var intake = new BounceIntake(Backend.InboundMail, Backend.Queue, Backend.Suppressions, new BounceAddressOptions { Domain = "example.test" }, TimeProvider.System);
        var dsn = System.Text.Encoding.UTF8.GetBytes($"""
            Delivered-To: bounces+{queued.Id}@example.test
            From: Mail Delivery System <MAILER-DAEMON@example.test>
            To: bounces+{queued.Id}@example.test
            Subject: Undelivered Mail Returned to Sender
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

            --b1
            Content-Type: text/plain

            <nobody@bounce.test>: mailbox does not exist
            --b1
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mail.example.test

            Final-Recipient: rfc822; nobody@bounce.test
            Action: failed
            Status: 5.1.1
            Diagnostic-Code: smtp; 550 5.1.1 mailbox does not exist
            --b1--
            """.ReplaceLineEndings("\r\n"));

        var early = await intake.ProcessAsync("INBOX/7/1", dsn);

        Assert.Null(early.ProcessedAt);
        Assert.Equal(queued.Id, early.MessageId);
        Assert.Equal(MessageStatus.Sending, (await Backend.Queue.GetAsync(queued.Id))!.Status);
        Assert.Empty(await Backend.Suppressions.FindAsync(["nobody@bounce.test"]));

        Assert.True(await Backend.Queue.CompleteAsync(queued.Id, claim.LeaseToken, new MessageTransition(MessageStatus.Sent, "accepted"), T0));
        var read = await intake.ProcessAsync("INBOX/7/1", dsn);

        Assert.NotNull(read.ProcessedAt);
        Assert.Equal(early.Id, read.Id);
        Assert.Equal(MessageStatus.Bounced, (await Backend.Queue.GetAsync(queued.Id))!.Status);
        Assert.Single(await Backend.Suppressions.FindAsync(["nobody@bounce.test"]));
    }

    [Fact]
    public async Task Suppression_IsStoredNormalised_FoundCaseInsensitively_AndTheFirstEntryKept()
    {
        var first = new SuppressionEntry(" Gone@Example.ORG ", "Hard bounce (5.1.1) of message m1.", "5.1.1", "550 user unknown", "m1", T0);

        Assert.True(await Backend.Suppressions.AddAsync(first));
        Assert.False(await Backend.Suppressions.AddAsync(first with { Reason = "second", MessageId = "m2" }));

        var found = Assert.Single(await Backend.Suppressions.FindAsync(["GONE@example.org", "other@example.org"]));
        Assert.Equal(first with { Address = "gone@example.org" }, found);
        Assert.Empty(await Backend.Suppressions.FindAsync([]));
    }

    [Fact]
    public async Task Suppression_ListPagesByAddress_Searches_AndLiftRemoves()
    {
        foreach (var address in new[] { "c@example.org", "a@example.org", "b@other.org" })
            Assert.True(await Backend.Suppressions.AddAsync(new SuppressionEntry(address, "r", "5.1.1", null, null, T0)));

        var page1 = await Backend.Suppressions.ListAsync(null, 2, null);
        var page2 = await Backend.Suppressions.ListAsync(null, 2, page1.NextCursor);
        Assert.Equal(["a@example.org", "b@other.org"], page1.Items.Select(e => e.Address));
        Assert.Equal(["c@example.org"], page2.Items.Select(e => e.Address));
        Assert.Null(page2.NextCursor);
        Assert.Equal(["a@example.org", "c@example.org"], (await Backend.Suppressions.ListAsync("EXAMPLE.org", 10, null)).Items.Select(e => e.Address));

        Assert.True(await Backend.Suppressions.RemoveAsync("A@example.org"));
        Assert.False(await Backend.Suppressions.RemoveAsync("a@example.org"));
        Assert.Empty(await Backend.Suppressions.FindAsync(["a@example.org"]));
    }

    private static InboundMail Mail(string id, string source, InboundMailKind kind, string? messageId = null) => new()
    {
        Id = id, SourceKey = source, ReceivedAt = T0, Kind = kind, MessageId = messageId, CorrelatedBy = messageId is null ? null : "verp",
        From = "MAILER-DAEMON@example.test", Subject = "Undelivered", Detail = "read",
        Recipients = kind == InboundMailKind.Bounce ? [new BounceRecipient("a@example.org", "failed", "5.1.1", "user unknown", "mx.example.org")] : [],
        Raw = [1, 2, 3, 0, 255],
    };

    [Fact]
    public async Task InboundMail_IsKeptWhole_OncePerSource_AndMarkedProcessed()
    {
        var mail = Mail("0001", "INBOX/7/1", InboundMailKind.Bounce, "m1");

        Assert.Equal(mail, await Backend.InboundMail.AddAsync(mail) with { Recipients = mail.Recipients });
        var again = await Backend.InboundMail.AddAsync(Mail("0002", "INBOX/7/1", InboundMailKind.Unparseable));
        Assert.Equal("0001", again.Id);

        var stored = await Backend.InboundMail.FindBySourceAsync("INBOX/7/1");
        Assert.Equal([1, 2, 3, 0, 255], stored!.Raw);
        Assert.Equal(mail.Recipients, stored.Recipients);
        Assert.Equal(InboundMailKind.Bounce, stored.Kind);
        Assert.Null(stored.ProcessedAt);

        await Backend.InboundMail.MarkProcessedAsync("0001", "The message is now bounced.", T0.AddSeconds(3));
        var processed = await Backend.InboundMail.GetAsync("0001");
        Assert.Equal(T0.AddSeconds(3), processed!.ProcessedAt);
        Assert.Equal("The message is now bounced.", processed.Detail);
        Assert.Null(await Backend.InboundMail.GetAsync("0002"));
    }

    [Fact]
    public async Task InboundMail_ListsNewestFirst_ByKindAndMessage_WithoutTheRawBytes()
    {
        await Backend.InboundMail.AddAsync(Mail("0001", "INBOX/7/1", InboundMailKind.Bounce, "m1"));
        await Backend.InboundMail.AddAsync(Mail("0002", "INBOX/7/2", InboundMailKind.Unparseable));
        await Backend.InboundMail.AddAsync(Mail("0003", "INBOX/7/3", InboundMailKind.AutoReply, "m1"));

        var all = await Backend.InboundMail.ListAsync(null, null, 2, null);
        Assert.Equal(["0003", "0002"], all.Items.Select(m => m.Id));
        Assert.Equal(["0001"], (await Backend.InboundMail.ListAsync(null, null, 2, all.NextCursor)).Items.Select(m => m.Id));
        Assert.All(all.Items, m => Assert.Empty(m.Raw));
        Assert.Equal(["0002"], (await Backend.InboundMail.ListAsync(InboundMailKind.Unparseable, null, 10, null)).Items.Select(m => m.Id));
        Assert.Equal(["0003", "0001"], (await Backend.InboundMail.ListAsync(null, "m1", 10, null)).Items.Select(m => m.Id));
    }

    [Fact]
    public async Task ReplyToRelaySettings_RoundTrip_WithTheOtherDeploymentSettingsKept()
    {
        Assert.False((await Backend.Settings.GetDeploymentSettingsAsync()).ReplyToRelay.IsConfigured);
        var settings = DeploymentSettings.Default with
        {
            PortPolicy = new PortPolicy { AdditionalPorts = [2525] },
            ReplyToRelay = new ReplyToRelaySettings("events.example.net", "acme"),
        };
        await Backend.Settings.SaveDeploymentSettingsAsync(settings, new SettingsAuditEntry(T0, "admin", SettingsAuditEntry.ReplyToRelayTarget, ["eventsDomain"]));

        var stored = await Backend.Settings.GetDeploymentSettingsAsync();
        Assert.Equal("acme@events.example.net", stored.ReplyToRelay.FromAddress);
        Assert.Equal([2525], stored.PortPolicy.AdditionalPorts);
    }
}
