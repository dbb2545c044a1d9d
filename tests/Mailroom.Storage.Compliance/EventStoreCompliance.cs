using Mailroom.Core.Audit;
using Mailroom.Core.Events;
using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Settings;

namespace Mailroom.Storage.Compliance;

/// <summary>What every backend's <see cref="IEventStore"/> must do: one log, written with each transition, read by cursor.</summary>
public abstract class EventStoreCompliance : IAsyncLifetime
{
    private IStorageBackend? _backend;

    protected abstract Task<IStorageBackend> CreateBackendAsync();

    protected IStorageBackend Backend => _backend!;

    private IEventStore Events => _backend!.Events;

    private IMessageQueueStorage Queue => _backend!.Queue;

    public async Task InitializeAsync() => _backend = await CreateBackendAsync();

    public async Task DisposeAsync()
    {
        if (_backend is not null) await _backend.DisposeAsync();
    }

    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static MessageDraft Draft(string? sender = "anna") => new()
    {
        SenderUserId = sender, To = ["klient@example.com"], Subject = "Faktura", TextBody = "Dzień dobry",
    };

    /// <summary>
    /// Reads every event matching <paramref name="query"/> page by page until <paramref name="done"/>
    /// holds. On PostgreSQL an event shows once older transactions of the whole server ended, which
    /// other tests running meanwhile may delay a little: bounded wait, then the last read is returned.
    /// </summary>
    private async Task<List<EventRecord>> ReadAllAsync(EventQuery query, Func<List<EventRecord>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var all = new List<EventRecord>();
            var page = await Events.ListAsync(query);
            all.AddRange(page.Items);
            while (page.HasMore)
            {
                page = await Events.ListAsync(query with { After = all[^1].Id });
                all.AddRange(page.Items);
            }
            if (done(all) || DateTime.UtcNow > deadline) return all;
            await Task.Delay(50);
        }
    }

    private Task<List<EventRecord>> ReadAllAsync(EventQuery query, int count) => ReadAllAsync(query, all => all.Count >= count);

    [Fact]
    public async Task EveryTransition_WritesItsEvent_WithMessage_User_Reply_AndRecipients()
    {
        var queued = await Queue.EnqueueAsync(Draft(), T0);
        var claim = Assert.Single(await Queue.ClaimAsync("w1", 10, TimeSpan.FromMinutes(5), T0.AddSeconds(1)));
        var reply = new SmtpReply(250, "2.0.0", "2.0.0 Ok: queued as 4ABC");
        Assert.True(await Queue.CompleteAsync(queued.Id, claim.LeaseToken,
            new MessageTransition(MessageStatus.Sent, "Accepted by the server.", Reply: reply,
                Recipients: [new RecipientOutcome("klient@example.com", true, reply)]), T0.AddSeconds(2)));

        var events = await ReadAllAsync(new EventQuery { MessageId = queued.Id }, 3);

        Assert.Equal([EventTypes.MessageQueued, EventTypes.MessageSending, EventTypes.MessageSent], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(("anna", queued.Id), (e.UserId, e.MessageId)));
        Assert.Equal([T0, T0.AddSeconds(1), T0.AddSeconds(2)], events.Select(e => e.At));
        var sent = events[2];
        Assert.Equal("Accepted by the server.", sent.Reason);
        Assert.Equal(reply, sent.Reply);
        Assert.Contains("klient@example.com", sent.DetailsJson);
        Assert.True(events[0].Id < events[1].Id && events[1].Id < events[2].Id);
    }

    [Fact]
    public async Task HistoryRowRolledBack_LeavesNoEvent_Committed_WritesOne()
    {
        var queued = await Queue.EnqueueAsync(Draft(), T0);
        await Backend.InsertHistoryRowAsync(queued.Id, "failed", commit: false);
        await Backend.InsertHistoryRowAsync(queued.Id, "deferred", commit: true);
        var marker = await Events.AppendAsync(new NewEvent("test.marker", T0.AddMinutes(1)));

        var events = await ReadAllAsync(new EventQuery(), all => all.Any(e => e.Id == marker));

        Assert.Equal([EventTypes.MessageQueued, EventTypes.MessageDeferred, "test.marker"], events.Select(e => e.Type));
    }

    [Fact]
    public async Task LostLease_WritesNoEvent()
    {
        var queued = await Queue.EnqueueAsync(Draft(), T0);
        await Queue.ClaimAsync("w1", 10, TimeSpan.FromMinutes(5), T0);
        Assert.False(await Queue.CompleteAsync(queued.Id, "not-the-token", new MessageTransition(MessageStatus.Sent, "x"), T0.AddSeconds(1)));
        var marker = await Events.AppendAsync(new NewEvent("test.marker", T0.AddMinutes(1)));

        var events = await ReadAllAsync(new EventQuery(), all => all.Any(e => e.Id == marker));

        Assert.DoesNotContain(events, e => e.Type == EventTypes.MessageSent);
    }

    [Fact]
    public async Task HoldAndRelease_WriteAnEventPerMessage()
    {
        var a = await Queue.EnqueueAsync(Draft(), T0);
        var b = await Queue.EnqueueAsync(Draft(), T0);
        var other = await Queue.EnqueueAsync(Draft("jan"), T0);
        Assert.Equal(2, await Queue.HoldSenderAsync("anna", "Login refused.", T0.AddMinutes(1)));
        Assert.Equal(2, await Queue.ReleaseHeldAsync("anna", false, "Settings fixed.", T0.AddMinutes(2)));

        var anna = await ReadAllAsync(new EventQuery { UserId = "anna", Types = [EventTypes.MessageHeld, EventTypes.MessageQueued] }, 6);

        Assert.Equal(2, anna.Count(e => e.Type == EventTypes.MessageHeld && e.Reason == "Login refused."));
        Assert.Equal(2, anna.Count(e => e.Type == EventTypes.MessageQueued && e.Reason == "Settings fixed."));
        Assert.Equal(new[] { a.Id, b.Id }.Order(StringComparer.Ordinal), anna.Where(e => e.Type == EventTypes.MessageHeld).Select(e => e.MessageId!).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(anna, e => e.MessageId == other.Id);
    }

    [Fact]
    public async Task SettingsSaved_IsAnEvent_InTheUsersScope()
    {
        await Backend.Users.AddAsync(new Core.Users.User("anna", "anna@firma.pl", "Anna", Core.Users.Role.User, T0), null, null);
        await Backend.Settings.SaveProfileAsync(ProfileScope.ForUser("anna"), new SenderProfile { Login = "anna" },
            new SettingsAuditEntry(T0, "admin", "user:anna", ["login", "password"]));
        await Backend.Settings.SaveProfileAsync(ProfileScope.Global, new SenderProfile { Host = "smtp.example.com" },
            new SettingsAuditEntry(T0, "admin", "global", ["host"]));

        var events = await ReadAllAsync(new EventQuery { Types = [EventTypes.SettingsChanged] }, 2);

        Assert.Equal(["anna", null], events.Select(e => e.UserId));
        Assert.Equal(["user:anna", "global"], events.Select(e => e.Reason));
        Assert.Contains("password", events[0].DetailsJson);
        Assert.Contains("admin", events[0].DetailsJson);
    }

    [Fact]
    public async Task Append_ReadsBack_WithCodeAndDetails()
    {
        var id = await Events.AppendAsync(new NewEvent(EventTypes.OAuthExpired, T0)
        {
            UserId = "anna", Reason = "The refresh token was revoked.", Code = "invalid_grant", DetailsJson = """{"provider":"microsoft"}""",
        });

        var e = Assert.Single(await ReadAllAsync(new EventQuery(), 1));

        Assert.Equal((id, EventTypes.OAuthExpired, "anna", "invalid_grant", T0), (e.Id, e.Type, e.UserId, e.Code, e.At));
        Assert.Null(e.MessageId);
        Assert.Contains("microsoft", e.DetailsJson);
    }

    [Fact]
    public async Task Filters_ByType_Message_User_AndTime()
    {
        var anna = await Queue.EnqueueAsync(Draft(), T0);
        var jan = await Queue.EnqueueAsync(Draft("jan"), T0.AddHours(1));
        var global = await Queue.EnqueueAsync(Draft(null), T0.AddHours(2));
        await Queue.CancelAsync(jan.Id, "No longer needed.", T0.AddHours(3));
        await ReadAllAsync(new EventQuery(), 4);

        Assert.Equal([jan.Id], (await Events.ListAsync(new EventQuery { Types = [EventTypes.MessageCancelled] })).Items.Select(e => e.MessageId));
        Assert.Equal(2, (await Events.ListAsync(new EventQuery { MessageId = jan.Id })).Items.Count);
        Assert.Equal([anna.Id], (await Events.ListAsync(new EventQuery { UserId = "anna" })).Items.Select(e => e.MessageId));
        Assert.Equal([jan.Id, global.Id], (await Events.ListAsync(new EventQuery { Since = T0.AddHours(1), Until = T0.AddHours(3) })).Items.Select(e => e.MessageId));
        Assert.Equal(2, (await Events.ListAsync(new EventQuery { Types = [EventTypes.MessageQueued, EventTypes.MessageCancelled], UserId = "jan" })).Items.Count);
        Assert.Null((await Events.ListAsync(new EventQuery { UserId = "anna" })).Items.Single().Reply);
    }

    [Fact]
    public async Task Cursor_PagesThroughInOrder_WithoutRepeats()
    {
        for (var i = 0; i < 7; i++) await Events.AppendAsync(new NewEvent("test.paged", T0.AddSeconds(i)) { Reason = $"#{i}" });
        await ReadAllAsync(new EventQuery(), 7);

        var first = await Events.ListAsync(new EventQuery { Limit = 3 });
        var second = await Events.ListAsync(new EventQuery { Limit = 3, After = first.Items[^1].Id });
        var third = await Events.ListAsync(new EventQuery { Limit = 3, After = second.Items[^1].Id });

        Assert.True(first.HasMore);
        Assert.True(second.HasMore);
        Assert.False(third.HasMore);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"#{i}"), first.Items.Concat(second.Items).Concat(third.Items).Select(e => e.Reason));
        Assert.Empty((await Events.ListAsync(new EventQuery { After = third.Items[^1].Id })).Items);
    }

    [Fact]
    public async Task ConcurrentWriters_AReaderFollowingTheCursor_SeesEveryEventOnce()
    {
        const int writers = 6, each = 30;
        var seen = new List<EventRecord>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var writing = Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                if (i % 3 == 0) await Queue.EnqueueAsync(Draft($"writer{w}"), T0);
                else await Events.AppendAsync(new NewEvent("test.concurrent", T0) { Reason = $"{w}/{i}" });
            }
        })));
        long after = 0;
        while (seen.Count < writers * each && !stop.IsCancellationRequested)
        {
            var page = await Events.ListAsync(new EventQuery { After = after, Limit = 17 });
            seen.AddRange(page.Items);
            if (page.Items.Count > 0) after = page.Items[^1].Id;
            else await Task.Delay(10);
        }
        await writing;

        Assert.Equal(writers * each, seen.Count);
        Assert.Equal(seen.Count, seen.Select(e => e.Id).Distinct().Count());
    }
}
