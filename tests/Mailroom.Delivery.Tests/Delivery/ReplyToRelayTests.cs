using Mailroom.Core.Delivery;
using Mailroom.Core.Settings;
using MimeKit;
using static Mailroom.Delivery.Tests.Delivery.DeliveryTestData;

namespace Mailroom.Delivery.Tests.Delivery;

/// <summary>The reply-to relay sender mode's From and Reply-To, and what happens while it is not set up.</summary>
public sealed class ReplyToRelayTests : IDisposable
{
    private readonly string _captureDirectory = Directory.CreateTempSubdirectory("mailroom-relay-").FullName;

    public void Dispose() => Directory.Delete(_captureDirectory, recursive: true);

    private static EffectiveSenderSettings Sender(string? relayFrom, string? replyTo = null) => new()
    {
        Enabled = true,
        FromAddress = "anna.nowak@firma.example",
        DisplayName = "Anna Nowak",
        ReplyTo = replyTo,
        Port = 587,
        Encryption = EncryptionMode.Auto,
        Authentication = AuthenticationMethod.None,
        SenderMode = SenderMode.ReplyToRelay,
        ReplyToRelayFromAddress = relayFrom,
        Sources = new Dictionary<string, SettingSource>(),
    };

    [Theory]
    [InlineData(null, "anna.nowak@firma.example")]
    [InlineData("biuro@firma.example", "biuro@firma.example")]
    public async Task WithoutARelay_TheCapturedMessage_IsFromTheOrganisation_RepliesGoToTheUser(string? profileReplyTo, string expectedReplyTo)
    {
        await using var agent = Agent(new SmtpDeliveryOptions { CaptureDirectory = _captureDirectory, CommandTimeout = TestCommandTimeout });
        var queued = Queued("klient@example.com");

        var outcome = await agent.DeliverAsync(queued, Sender("acme@events.example.net", profileReplyTo));

        Assert.Equal(DeliveryOutcomeKind.Captured, outcome.Kind);
        var captured = await MimeMessage.LoadAsync(Path.Combine(_captureDirectory, SmtpDeliveryAgent.CaptureFileName(queued.Id)));
        var from = captured.From.Mailboxes.Single();
        Assert.Equal(("Anna Nowak", "acme@events.example.net"), (from.Name, from.Address));
        Assert.Equal(expectedReplyTo, captured.ReplyTo.Mailboxes.Single().Address);
    }

    [Fact]
    public async Task WithoutTheDeploymentsSlugAndDomain_NothingIsSent_AndTheSenderIsToldWhy()
    {
        await using var agent = Agent(new SmtpDeliveryOptions { CaptureDirectory = _captureDirectory, CommandTimeout = TestCommandTimeout });

        var outcome = await agent.DeliverAsync(Queued("klient@example.com"), Sender(relayFrom: null));

        Assert.Equal(DeliveryOutcomeKind.SenderProblem, outcome.Kind);
        Assert.Contains("<organisation slug>@<system events domain>", outcome.Reason);
        Assert.Empty(Directory.GetFiles(_captureDirectory));
    }
}
