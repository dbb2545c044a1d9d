using Mailroom.Core.Delivery;
using Mailroom.Core.Mail;
using Mailroom.Core.Queue;

namespace Mailroom.Core.Tests.Queue;

public class RetryPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static readonly RetryOptions Options = new()
    {
        Delays = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)],
        MaximumAge = TimeSpan.FromHours(6),
        Jitter = 0.2,
    };

    private static QueuedMessage Message(int attempts, DateTimeOffset? createdAt = null) => new()
    {
        Id = "m1",
        Draft = new MessageDraft { To = ["a@example.com"], TextBody = "x" },
        Status = MessageStatus.Sending,
        Attempts = attempts,
        CreatedAt = createdAt ?? T0,
        UpdatedAt = T0,
        NextAttemptAt = T0,
    };

    private static readonly SmtpReply Greylisted = SmtpReply.From(451, "4.7.1 Try later");

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 10)]
    [InlineData(3, 60)]
    [InlineData(9, 60)] // the last delay repeats
    public void TransientFailure_IsDeferredByTheDelayForThatAttempt(int attempts, int minutes)
    {
        var policy = new RetryPolicy(Options, random: () => 0.5); // no jitter at the midpoint

        var transition = policy.Decide(Message(attempts), new DeliveryOutcome(DeliveryOutcomeKind.Transient, "later", Greylisted), T0);

        Assert.Equal(MessageStatus.Deferred, transition.Status);
        Assert.Equal(T0.AddMinutes(minutes), transition.NextAttemptAt);
        Assert.Equal(Greylisted, transition.Reply);
    }

    [Theory]
    [InlineData(0.0, 48)]
    [InlineData(1.0, 72)]
    public void Jitter_StretchesOrShrinksTheDelayByAtMostTheConfiguredFraction(double random, int seconds)
    {
        var policy = new RetryPolicy(Options, random: () => random);

        Assert.Equal(TimeSpan.FromSeconds(seconds), policy.NextDelay(1));
    }

    [Fact]
    public void TransientFailure_PastTheMaximumAge_Fails_SayingHowLongItTried()
    {
        var policy = new RetryPolicy(Options, random: () => 0.5);
        var old = Message(attempts: 7, createdAt: T0.AddHours(-5.5));

        var transition = policy.Decide(old, new DeliveryOutcome(DeliveryOutcomeKind.Transient, "451 greylisted", Greylisted), T0);

        Assert.Equal(MessageStatus.Failed, transition.Status);
        Assert.Contains("Gave up after 7 attempts", transition.Reason);
        Assert.Contains("451 greylisted", transition.Reason);
        Assert.Null(transition.NextAttemptAt);
    }

    [Theory]
    [InlineData(DeliveryOutcomeKind.Delivered, MessageStatus.Sent)]
    [InlineData(DeliveryOutcomeKind.Captured, MessageStatus.Captured)]
    [InlineData(DeliveryOutcomeKind.Permanent, MessageStatus.Failed)]
    [InlineData(DeliveryOutcomeKind.SenderProblem, MessageStatus.Held)]
    public void OtherOutcomes_MapToTheirFinalOrHoldingStatus_WithoutRetrying(DeliveryOutcomeKind kind, MessageStatus expected)
    {
        var policy = new RetryPolicy(Options);
        RecipientOutcome[] recipients = [new("a@example.com", kind == DeliveryOutcomeKind.Delivered, null)];

        var transition = policy.Decide(Message(1), new DeliveryOutcome(kind, "why", null, recipients), T0);

        Assert.Equal(expected, transition.Status);
        Assert.Equal("why", transition.Reason);
        Assert.Equal(recipients, transition.Recipients);
        Assert.Null(transition.NextAttemptAt);
    }
}
