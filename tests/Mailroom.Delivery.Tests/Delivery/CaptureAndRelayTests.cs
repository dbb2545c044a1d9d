using Mailroom.Core.Delivery;
using Mailroom.Core.Settings;
using Mailroom.Testing;
using MimeKit;
using static Mailroom.Delivery.Tests.Delivery.DeliveryTestData;

namespace Mailroom.Delivery.Tests.Delivery;

/// <summary>The System sender: through the operator's relay when one is configured, otherwise captured as .eml files.</summary>
public sealed class CaptureAndRelayTests : IDisposable
{
    private readonly string _captureDirectory = Path.Combine(Path.GetTempPath(), "mailroom-capture-" + Guid.NewGuid().ToString("N"));

    private static EffectiveSenderSettings SystemSender => OwnSmtp("ignored.example.test", 587) with
    {
        SenderMode = SenderMode.System,
        FromAddress = "noreply@example.test",
    };

    public void Dispose()
    {
        if (Directory.Exists(_captureDirectory)) Directory.Delete(_captureDirectory, recursive: true);
    }

    [Fact]
    public async Task SystemSenderWithoutRelay_WritesAnEmlFile_AndSaysItWasNotDelivered()
    {
        await using var agent = Agent(new SmtpDeliveryOptions { CaptureDirectory = _captureDirectory, CommandTimeout = TestCommandTimeout });
        var queued = Queued("jan@example.test");

        var outcome = await agent.DeliverAsync(queued, SystemSender);

        Assert.Equal(DeliveryOutcomeKind.Captured, outcome.Kind);
        Assert.StartsWith("Captured, not delivered: no system relay configured", outcome.Reason);
        var path = Path.Combine(_captureDirectory, queued.Id + ".eml");
        Assert.Contains(path, outcome.Reason);
        var captured = await MimeMessage.LoadAsync(path);
        Assert.Equal(queued.Draft.Subject, captured.Subject);
        Assert.Equal("noreply@example.test", captured.From.Mailboxes.Single().Address);
        Assert.Equal(["jan@example.test"], captured.To.Mailboxes.Select(mailbox => mailbox.Address));
        Assert.Equal([queued.Id + ".eml"], Directory.GetFiles(_captureDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task CapturedAgain_ReplacesTheFileWhole()
    {
        await using var agent = Agent(new SmtpDeliveryOptions { CaptureDirectory = _captureDirectory });
        var queued = Queued("jan@example.test");

        await agent.DeliverAsync(queued, SystemSender);
        var again = await agent.DeliverAsync(queued, SystemSender with { DisplayName = "Second attempt" });

        Assert.Equal(DeliveryOutcomeKind.Captured, again.Kind);
        var captured = await MimeMessage.LoadAsync(Path.Combine(_captureDirectory, queued.Id + ".eml"));
        Assert.Equal("Second attempt", captured.From.Mailboxes.Single().Name);
        Assert.Single(Directory.GetFiles(_captureDirectory)); // no temporary file left behind
    }

    [Fact]
    public void CaptureFileName_CannotLeaveTheCaptureDirectory()
    {
        Assert.Equal("_.._etc_passwd.eml", SmtpDeliveryAgent.CaptureFileName("/../etc/passwd"));
    }

    [Fact]
    public async Task SystemSenderWithRelay_SendsThroughTheRelay_WithTheRelaysFromWhenTheSenderHasNone()
    {
        await using var relay = new ScriptedSmtpServer();
        var options = new SmtpDeliveryOptions
        {
            CaptureDirectory = _captureDirectory,
            CommandTimeout = TestCommandTimeout,
            SystemRelay = new SystemRelayOptions { Host = "127.0.0.1", Port = relay.Port, Encryption = EncryptionMode.None, FromAddress = "relay@system.test" },
        };
        await using var agent = Agent(options);

        var outcome = await agent.DeliverAsync(Queued("jan@example.test"), SystemSender with { FromAddress = null });

        Assert.Equal(DeliveryOutcomeKind.Delivered, outcome.Kind);
        var message = Assert.Single(relay.Messages);
        Assert.Equal("relay@system.test", message.Sender);
        Assert.False(Directory.Exists(_captureDirectory));
    }

    [MailTestbedFact]
    public async Task SystemSenderWithRelay_IsDeliveredByTheTestBed()
    {
        var bed = MailTestbed.Instance;
        var options = new SmtpDeliveryOptions
        {
            CaptureDirectory = _captureDirectory,
            CommandTimeout = TestCommandTimeout,
            SystemRelay = new SystemRelayOptions { Host = bed.Host, Port = bed.PlainPort, Encryption = EncryptionMode.Auto },
        };
        await using var agent = Agent(options);
        var queued = Queued(bed.UserName);

        var outcome = await agent.DeliverAsync(queued, SystemSender);

        Assert.True(DeliveryOutcomeKind.Delivered == outcome.Kind, outcome.Reason);
        Assert.Single(await bed.WaitForMessagesAsync(bed.UserName, message => message.Subject == queued.Draft.Subject, TimeSpan.FromSeconds(30)));
        Assert.False(Directory.Exists(_captureDirectory));
    }
}
