using Mailroom.Core.Delivery;
using Mailroom.Core.Mail;

namespace Mailroom.Core.Queue;

/// <summary>How long to keep trying and how far apart.</summary>
public sealed record RetryOptions
{
    /// <summary>Waits after the 1st, 2nd, … failed attempt; the last one repeats.</summary>
    public IReadOnlyList<TimeSpan> Delays { get; init; } =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4),
    ];

    /// <summary>After this long in the queue a transient failure becomes final (MTAs use 2–5 days).</summary>
    public TimeSpan MaximumAge { get; init; } = TimeSpan.FromDays(2);

    /// <summary>Each wait is stretched or shrunk at random by up to this fraction, so retries do not arrive in a herd.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>A comma-separated list of positive TimeSpans (<c>"00:01:00, 00:05:00"</c>) read as delays; null when any part does not parse.</summary>
    public static IReadOnlyList<TimeSpan>? ParseDelays(string? text)
    {
        var delays = new List<TimeSpan>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TimeSpan.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out var delay) || delay <= TimeSpan.Zero) return null;
            delays.Add(delay);
        }
        return delays.Count == 0 ? null : delays;
    }
}

/// <summary>
/// Picks a message's next state from the outcome of an attempt — by outcome kind, never by
/// matching the server's text.
/// </summary>
public sealed class RetryPolicy(RetryOptions options, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    /// <summary>The transition for <paramref name="message"/> after <paramref name="outcome"/>.</summary>
    public MessageTransition Decide(QueuedMessage message, DeliveryOutcome outcome, DateTimeOffset now)
    {
        return outcome.Kind switch
        {
            DeliveryOutcomeKind.Delivered => new(MessageStatus.Sent, outcome.Reason, Reply: outcome.Reply, Recipients: outcome.Recipients),
            DeliveryOutcomeKind.Captured => new(MessageStatus.Captured, outcome.Reason, Recipients: outcome.Recipients),
            DeliveryOutcomeKind.Permanent => new(MessageStatus.Failed, outcome.Reason, Reply: outcome.Reply, Recipients: outcome.Recipients),
            DeliveryOutcomeKind.SenderProblem => new(MessageStatus.Held, outcome.Reason, Reply: outcome.Reply, Recipients: outcome.Recipients),
            DeliveryOutcomeKind.Transient => Transient(message, outcome, now),
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Kind, "Unknown outcome kind."),
        };
    }

    private MessageTransition Transient(QueuedMessage message, DeliveryOutcome outcome, DateTimeOffset now)
    {
        var next = now + NextDelay(message.Attempts);
        if (next - message.CreatedAt > options.MaximumAge)
        {
            return new MessageTransition(MessageStatus.Failed,
                $"Gave up after {message.Attempts} attempts over {Describe(now - message.CreatedAt)}: {outcome.Reason}",
                Reply: outcome.Reply, Recipients: outcome.Recipients);
        }
        return new MessageTransition(MessageStatus.Deferred, outcome.Reason, next, outcome.Reply, outcome.Recipients);
    }

    /// <summary>The wait after attempt number <paramref name="attempts"/> (1 = the first), with jitter.</summary>
    public TimeSpan NextDelay(int attempts)
    {
        var delays = options.Delays;
        var baseDelay = delays[Math.Clamp(attempts - 1, 0, delays.Count - 1)];
        var factor = 1 + options.Jitter * (2 * _random() - 1);
        return TimeSpan.FromTicks((long)(baseDelay.Ticks * factor));
    }

    private static string Describe(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{span.TotalHours:0.#} h" : $"{span.TotalMinutes:0} min";
}
