using Mailroom.Core.Delivery;
using Mailroom.Core.Settings;
using Mailroom.Testing;
using static Mailroom.Delivery.Tests.Delivery.DeliveryTestData;

namespace Mailroom.Delivery.Tests.Delivery;

/// <summary>Faults a real server rarely shows on demand, injected with <see cref="ScriptedSmtpServer"/>.</summary>
public sealed class ScriptedServerDeliveryTests : IAsyncLifetime
{
    private readonly ScriptedSmtpServer _server = new();
    private readonly SmtpDeliveryAgent _agent = Agent();

    private EffectiveSenderSettings Sender => OwnSmtp("127.0.0.1", _server.Port);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task GoodMessage_IsDelivered_WithTheFinalReplyPerRecipient()
    {
        var outcome = await _agent.DeliverAsync(Queued("a@example.test", "b@example.test"), Sender);

        Assert.Equal(DeliveryOutcomeKind.Delivered, outcome.Kind);
        Assert.Equal(250, outcome.Reply?.Code);
        Assert.All(outcome.RecipientOutcomes, recipient => Assert.True(recipient.Accepted));
        Assert.Equal(["a@example.test", "b@example.test"], outcome.RecipientOutcomes.Select(recipient => recipient.Address));
        Assert.Equal(["a@example.test", "b@example.test"], Assert.Single(_server.Messages).Recipients);
    }

    [Fact]
    public async Task EnvelopeId_IsTheQueueMessageId_WhenTheServerOffersDsn()
    {
        var queued = Queued("a@example.test");

        await _agent.DeliverAsync(queued, Sender);

        Assert.Contains($"ENVID={queued.Id}", Assert.Single(_server.Messages).MailFromLine);
    }

    [Fact]
    public async Task InternationalFromDomain_GoesOutInAsciiForm_WhenTheServerLacksSmtpUtf8()
    {
        var outcome = await _agent.DeliverAsync(Queued("a@example.test"), Sender with { FromAddress = "biuro@żółw.pl" });

        Assert.Equal(DeliveryOutcomeKind.Delivered, outcome.Kind);
        Assert.Equal("biuro@xn--w-uga1v8h.pl", Assert.Single(_server.Messages).Sender);
    }

    [Fact]
    public async Task TwoMessagesToOneEndpoint_UseOneConnection()
    {
        var first = await _agent.DeliverAsync(Queued("a@example.test"), Sender);
        var second = await _agent.DeliverAsync(Queued("b@example.test"), Sender);

        Assert.Equal(DeliveryOutcomeKind.Delivered, first.Kind);
        Assert.Equal(DeliveryOutcomeKind.Delivered, second.Kind);
        Assert.Equal(2, _server.Messages.Count);
        Assert.Equal(1, _server.ConnectionCount);
        Assert.Equal(1, _agent.OpenConnectionCount);
    }

    [Fact]
    public async Task ConcurrentMessagesToOneEndpoint_ShareAtMostMaxConnectionsPerServer()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12)
            .Select(index => _agent.DeliverAsync(Queued($"r{index}@example.test"), Sender)));

        Assert.All(outcomes, outcome => Assert.Equal(DeliveryOutcomeKind.Delivered, outcome.Kind));
        Assert.Equal(12, _server.Messages.Count);
        Assert.InRange(_server.ConnectionCount, 1, new SmtpDeliveryOptions().MaxConnectionsPerServer);
    }

    [Fact]
    public async Task WithOneConnectionPerServer_ConcurrentMessagesAreSerialisedOnIt()
    {
        await using var agent = Agent(new SmtpDeliveryOptions { CommandTimeout = TestCommandTimeout, MaxConnectionsPerServer = 1 });

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 5)
            .Select(index => agent.DeliverAsync(Queued($"r{index}@example.test"), Sender)));

        Assert.All(outcomes, outcome => Assert.Equal(DeliveryOutcomeKind.Delivered, outcome.Kind));
        Assert.Equal(5, _server.Messages.Count);
        Assert.Equal(1, _server.ConnectionCount);
    }

    [Fact]
    public async Task IdleConnection_IsClosedAfterTheIdleTime()
    {
        var clock = new ManualTimeProvider();
        await using var agent = Agent(new SmtpDeliveryOptions { CommandTimeout = TestCommandTimeout, IdleConnectionTimeout = TimeSpan.FromSeconds(30) }, clock);
        await agent.DeliverAsync(Queued("a@example.test"), Sender);
        Assert.Equal(1, agent.OpenConnectionCount);

        clock.Advance(TimeSpan.FromSeconds(45));

        await Polling.WaitUntilAsync(() => agent.OpenConnectionCount == 0, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50));
        var next = await agent.DeliverAsync(Queued("b@example.test"), Sender);
        Assert.Equal(DeliveryOutcomeKind.Delivered, next.Kind);
        Assert.Equal(2, _server.ConnectionCount);
    }

    [Fact]
    public async Task Greeting421_IsTransient()
    {
        _server.Script.GreetingReply = "421 4.3.2 Service not available, try later";

        var outcome = await _agent.DeliverAsync(Queued("a@example.test"), Sender);

        Assert.Equal(DeliveryOutcomeKind.Transient, outcome.Kind);
        Assert.Equal(421, outcome.Reply?.Code);
        Assert.Contains("Service not available", outcome.Reason);
        Assert.Empty(_server.Messages);
    }

    [Theory]
    [InlineData("450 4.2.0 Mailbox busy")]
    [InlineData("451 4.3.0 Local error, try later")]
    public async Task TemporaryRefusalOfEveryRecipient_IsTransient(string reply)
    {
        _server.Script.RecipientReplies["a@example.test"] = reply;

        var outcome = await _agent.DeliverAsync(Queued("a@example.test"), Sender);

        Assert.Equal(DeliveryOutcomeKind.Transient, outcome.Kind);
        Assert.Equal(int.Parse(reply[..3]), outcome.Reply?.Code);
        var recipient = Assert.Single(outcome.RecipientOutcomes);
        Assert.False(recipient.Accepted);
        Assert.Empty(_server.Messages);
    }

    [Fact]
    public async Task PermanentRefusalOfEveryRecipient_IsPermanent_WithTheServersWords()
    {
        _server.Script.RecipientReplies["a@example.test"] = "550 5.1.1 User unknown in virtual mailbox table";
        _server.Script.RecipientReplies["b@example.test"] = "552 5.2.2 Mailbox full";

        var outcome = await _agent.DeliverAsync(Queued("a@example.test", "b@example.test"), Sender);

        Assert.Equal(DeliveryOutcomeKind.Permanent, outcome.Kind);
        Assert.Contains("User unknown in virtual mailbox table", outcome.Reason);
        Assert.Contains("Mailbox full", outcome.Reason);
        Assert.Equal("5.1.1", outcome.Reply?.EnhancedCode);
        Assert.Equal([550, 552], outcome.RecipientOutcomes.Select(recipient => recipient.Reply?.Code ?? 0));
    }

    [Fact]
    public async Task OneTemporaryAmongPermanentRefusals_MakesTheMessageTransient()
    {
        _server.Script.RecipientReplies["a@example.test"] = "550 5.1.1 No such user";
        _server.Script.RecipientReplies["b@example.test"] = "451 4.3.0 Try later";

        var outcome = await _agent.DeliverAsync(Queued("a@example.test", "b@example.test"), Sender);

        Assert.Equal(DeliveryOutcomeKind.Transient, outcome.Kind);
        Assert.Equal(451, outcome.Reply?.Code);
    }

    [Fact]
    public async Task RefusedRecipient_DoesNotStopTheOthers_AndTheConnectionIsKept()
    {
        _server.Script.RecipientReplies["gone@example.test"] = "550 5.1.1 No such user";

        var outcome = await _agent.DeliverAsync(Queued("gone@example.test", "here@example.test"), Sender);
        var next = await _agent.DeliverAsync(Queued("here@example.test"), Sender);

        Assert.Equal(DeliveryOutcomeKind.Delivered, outcome.Kind);
        Assert.Contains("gone@example.test", outcome.Reason);
        var gone = outcome.RecipientOutcomes.Single(recipient => recipient.Address == "gone@example.test");
        Assert.False(gone.Accepted);
        Assert.Equal("5.1.1", gone.Reply?.EnhancedCode);
        Assert.True(outcome.RecipientOutcomes.Single(recipient => recipient.Address == "here@example.test").Accepted);
        Assert.Equal(["here@example.test"], _server.Messages[0].Recipients);
        Assert.Equal(DeliveryOutcomeKind.Delivered, next.Kind);
        Assert.Equal(1, _server.ConnectionCount);
    }

    [Fact]
    public async Task RefusalAtEndOfData_IsPermanent_AndTheConnectionIsKept()
    {
        _server.Script.DataFinalReply = "552 5.3.4 Message size exceeds fixed limit";

        var outcome = await _agent.DeliverAsync(Queued("a@example.test"), Sender);
        _server.Script.DataFinalReply = null;
        var next = await _agent.DeliverAsync(Queued("a@example.test"), Sender);

        Assert.Equal(DeliveryOutcomeKind.Permanent, outcome.Kind);
        Assert.Equal(552, outcome.Reply?.Code);
        Assert.Contains("Message size exceeds fixed limit", outcome.Reason);
        Assert.False(Assert.Single(outcome.RecipientOutcomes).Accepted);
        Assert.Equal(DeliveryOutcomeKind.Delivered, next.Kind);
        Assert.Equal(1, _server.ConnectionCount);
    }

    [Theory]
    [InlineData("554 5.7.1 Rejected by policy", DeliveryOutcomeKind.Permanent)]
    [InlineData("451 4.7.1 Greylisted, try again", DeliveryOutcomeKind.Transient)]
    public async Task RefusalAtEndOfData_FollowsTheReplyClass(string reply, DeliveryOutcomeKind expected)
    {
        _server.Script.DataFinalReply = reply;

        var outcome = await _agent.DeliverAsync(Queued("a@example.test"), Sender);

        Assert.Equal(expected, outcome.Kind);
        Assert.Equal(int.Parse(reply[..3]), outcome.Reply?.Code);
    }

    [Fact]
    public async Task ConnectionDroppedDuringData_IsTransient_AndTheNextMessageReconnects()
    {
        _server.Script.DropDuringData = true;

        var dropped = await _agent.DeliverAsync(Queued("a@example.test"), Sender);
        _server.Script.DropDuringData = false;
        var next = await _agent.DeliverAsync(Queued("a@example.test"), Sender);

        Assert.Equal(DeliveryOutcomeKind.Transient, dropped.Kind);
        Assert.Equal(DeliveryOutcomeKind.Delivered, next.Kind);
        Assert.Equal(2, _server.ConnectionCount);
        Assert.Single(_server.Messages);
    }

    [Fact]
    public async Task ReplySlowerThanTheCommandTimeout_IsTransient_AndTheNextMessageReconnects()
    {
        _server.Script.DataFinalReplyDelay = TestCommandTimeout + TimeSpan.FromSeconds(2);

        var started = DateTime.UtcNow;
        var slow = await _agent.DeliverAsync(Queued("a@example.test"), Sender);
        var took = DateTime.UtcNow - started;
        _server.Script.DataFinalReplyDelay = TimeSpan.Zero;
        var next = await _agent.DeliverAsync(Queued("b@example.test"), Sender);

        Assert.Equal(DeliveryOutcomeKind.Transient, slow.Kind);
        Assert.Contains("did not answer in time", slow.Reason);
        Assert.True(took < TestCommandTimeout + TimeSpan.FromSeconds(1.5), $"took {took}");
        Assert.Equal(DeliveryOutcomeKind.Delivered, next.Kind);
        Assert.Equal(2, _server.ConnectionCount);
    }

    [Fact]
    public async Task ConnectionTheServerClosedWhileIdle_IsReplacedWithoutFailingTheMessage()
    {
        Assert.Equal(DeliveryOutcomeKind.Delivered, (await _agent.DeliverAsync(Queued("a@example.test"), Sender)).Kind);

        _server.DropAllConnections();
        var outcome = await _agent.DeliverAsync(Queued("b@example.test"), Sender);

        Assert.Equal(DeliveryOutcomeKind.Delivered, outcome.Kind);
        Assert.Equal(2, _server.ConnectionCount);
        Assert.Equal(2, _server.Messages.Count);
    }

    [Fact]
    public async Task PasswordOverUnencryptedConnection_IsAllowedOnlyWithEncryptionNone()
    {
        _server.Script.Credentials = ("login", "secret");

        var explicitNone = await _agent.DeliverAsync(Queued("a@example.test"), Sender.WithPassword("login", "secret"));
        var automatic = await _agent.DeliverAsync(Queued("b@example.test"),
            (Sender with { Encryption = EncryptionMode.Auto }).WithPassword("login", "secret"));

        Assert.Equal(DeliveryOutcomeKind.Delivered, explicitNone.Kind);
        Assert.Equal(DeliveryOutcomeKind.SenderProblem, automatic.Kind);
        Assert.Single(_server.Messages);
    }

    [Fact]
    public async Task WrongPassword_IsASenderProblemWith535()
    {
        _server.Script.Credentials = ("login", "secret");

        var outcome = await _agent.DeliverAsync(Queued("a@example.test"), Sender.WithPassword("login", "wrong"));

        Assert.Equal(DeliveryOutcomeKind.SenderProblem, outcome.Kind);
        Assert.Equal(535, outcome.Reply?.Code);
        Assert.Empty(_server.Messages);
    }

    [Fact]
    public async Task ChangedPassword_SharesThePool_AndTheOldSessionIsNotReused()
    {
        _server.Script.Credentials = ("login", "old-secret");
        var first = await _agent.DeliverAsync(Queued("a@example.test"), Sender.WithPassword("login", "old-secret"));
        // The password is changed on the server and in the profile; the session proven with the old one is still open.
        _server.Script.Credentials = ("login", "new-secret");

        var second = await _agent.DeliverAsync(Queued("b@example.test"), Sender.WithPassword("login", "new-secret"));
        var wrong = await _agent.DeliverAsync(Queued("c@example.test"), Sender.WithPassword("login", "typo"));

        Assert.Equal(DeliveryOutcomeKind.Delivered, first.Kind);
        Assert.Equal(DeliveryOutcomeKind.Delivered, second.Kind);
        // a wrong password shows at once instead of riding on the session opened with the right one
        Assert.Equal(DeliveryOutcomeKind.SenderProblem, wrong.Kind);
        Assert.Equal(3, _server.ConnectionCount);
        // one pool for the server and login: the old connection was replaced, not kept beside the new one
        Assert.Equal(0, _agent.OpenConnectionCount);
        var third = await _agent.DeliverAsync(Queued("d@example.test"), Sender.WithPassword("login", "new-secret"));
        var fourth = await _agent.DeliverAsync(Queued("e@example.test"), Sender.WithPassword("login", "new-secret"));
        Assert.Equal(DeliveryOutcomeKind.Delivered, third.Kind);
        Assert.Equal(DeliveryOutcomeKind.Delivered, fourth.Kind);
        Assert.Equal(4, _server.ConnectionCount); // the same credential reuses its session
        Assert.Equal(1, _agent.OpenConnectionCount);
    }

    [Fact]
    public async Task UnreadableStoredPassword_IsASenderProblem_AndNothingConnects()
    {
        var sender = Sender with { Authentication = AuthenticationMethod.Password, Login = "login", ProtectedPassword = "garbage" };

        var outcome = await _agent.DeliverAsync(Queued("a@example.test"), sender);

        Assert.Equal(DeliveryOutcomeKind.SenderProblem, outcome.Kind);
        Assert.Contains("cannot be decrypted", outcome.Reason);
        Assert.Equal(0, _server.ConnectionCount);
    }

    [Fact]
    public async Task DisabledProfile_IsASenderProblem_AndNothingConnects()
    {
        var outcome = await _agent.DeliverAsync(Queued("a@example.test"), Sender with { Enabled = false });

        Assert.Equal(DeliveryOutcomeKind.SenderProblem, outcome.Kind);
        Assert.Contains("turned off", outcome.Reason);
        Assert.Equal(0, _server.ConnectionCount);
    }

    [Fact]
    public async Task ProfileWithoutHost_IsASenderProblem()
    {
        var outcome = await _agent.DeliverAsync(Queued("a@example.test"), Sender with { Host = null });

        Assert.Equal(DeliveryOutcomeKind.SenderProblem, outcome.Kind);
        Assert.Contains("no SMTP server", outcome.Reason);
    }

    [Theory]
    [InlineData(AuthenticationMethod.OAuth2Microsoft365, SenderMode.Microsoft365OAuth)]
    [InlineData(AuthenticationMethod.OAuth2Google, SenderMode.OwnSmtp)]
    public async Task OAuth2_WithoutOAuthSetUp_IsASenderProblemNamingTheConfiguration(AuthenticationMethod authentication, SenderMode mode)
    {
        var outcome = await _agent.DeliverAsync(Queued("a@example.test"), Sender with { Authentication = authentication, SenderMode = mode });

        Assert.Equal(DeliveryOutcomeKind.SenderProblem, outcome.Kind);
        Assert.Contains("OAuth2", outcome.Reason);
        Assert.Contains("ClientId", outcome.Reason);
        Assert.Equal(0, _server.ConnectionCount);
    }

    private SmtpDeliveryAgent RelayAgent() => Agent(new SmtpDeliveryOptions
    {
        CommandTimeout = TestCommandTimeout,
        SystemRelay = new SystemRelayOptions { Host = "127.0.0.1", Port = _server.Port, Encryption = EncryptionMode.None },
        Bounces = new Core.Bounces.BounceAddressOptions { Domain = "bounces.example.net" },
    });

    [Fact]
    public async Task ReplyToRelayMode_GoesThroughTheSystemRelay_WithAVerpEnvelope_AndAsksForHeadersOnlyDsns()
    {
        await using var relayAgent = RelayAgent();
        var queued = Queued("a@example.test");

        var outcome = await relayAgent.DeliverAsync(queued, Sender with
        {
            SenderMode = SenderMode.ReplyToRelay, Host = "own-server.invalid", ReplyToRelayFromAddress = "acme@events.example.net",
        });

        Assert.Equal(DeliveryOutcomeKind.Delivered, outcome.Kind);
        var sent = Assert.Single(_server.Messages);
        Assert.Equal($"bounces+{queued.Id}@bounces.example.net", sent.Sender);
        Assert.Contains("RET=HDRS", sent.MailFromLine);
        Assert.Contains($"ENVID={queued.Id}", sent.MailFromLine);
        Assert.Contains("From: Test User <acme@events.example.net>", sent.Data);
        Assert.Contains("Reply-To: testuser@example.test", sent.Data);
    }

    [Fact]
    public async Task OwnSmtpMode_KeepsTheUsersEnvelopeSender_EvenWithABounceDomain()
    {
        await using var relayAgent = RelayAgent();

        await relayAgent.DeliverAsync(Queued("a@example.test"), Sender);

        var sent = Assert.Single(_server.Messages);
        Assert.Equal("testuser@example.test", sent.Sender);
        Assert.DoesNotContain("RET=", sent.MailFromLine);
    }

    [Fact]
    public async Task NothingListening_IsTransient()
    {
        int freePort;
        await using (var closed = new ScriptedSmtpServer())
            freePort = closed.Port;

        var outcome = await _agent.DeliverAsync(Queued("a@example.test"), OwnSmtp("127.0.0.1", freePort));

        Assert.Equal(DeliveryOutcomeKind.Transient, outcome.Kind);
    }
}
