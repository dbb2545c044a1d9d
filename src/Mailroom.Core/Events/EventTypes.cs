using System.Text.RegularExpressions;

namespace Mailroom.Core.Events;

/// <summary>
/// The event types. Message transitions are <c>message.&lt;status&gt;</c> for every status a
/// message can reach (the storage names them from the status, so a status added later gets its
/// type without a change here); the rest are appended through <see cref="IEventLog"/>.
/// </summary>
public static partial class EventTypes
{
    /// <summary>Prefix of every message transition.</summary>
    public const string MessagePrefix = "message.";

    /// <summary>A message was accepted into the queue (also when it was released or sent again).</summary>
    public const string MessageQueued = "message.queued";

    /// <summary>A worker took the message for a delivery attempt.</summary>
    public const string MessageSending = "message.sending";

    /// <summary>The SMTP server accepted the message.</summary>
    public const string MessageSent = "message.sent";

    /// <summary>A temporary failure; the message will be tried again.</summary>
    public const string MessageDeferred = "message.deferred";

    /// <summary>A permanent failure.</summary>
    public const string MessageFailed = "message.failed";

    /// <summary>Cancelled by an administrator.</summary>
    public const string MessageCancelled = "message.cancelled";

    /// <summary>Held because of a problem with the sender's credentials or settings.</summary>
    public const string MessageHeld = "message.held";

    /// <summary>The message bounced after it was sent.</summary>
    public const string MessageBounced = "message.bounced";

    /// <summary>Captured as an .eml file (System sender without a relay).</summary>
    public const string MessageCaptured = "message.captured";

    /// <summary>A sender's mail is held until its settings are fixed (credentials refused, TLS…); its waiting messages were held with it.</summary>
    public const string SenderHeld = "sender.held";

    /// <summary>A sender profile or deployment setting was saved (written with its audit entry).</summary>
    public const string SettingsChanged = "settings.changed";

    /// <summary>An OAuth grant expired or was revoked; the profile cannot send until it is renewed.</summary>
    public const string OAuthExpired = "oauth.expired";

    /// <summary>A webhook gave up on an event after its last attempt.</summary>
    public const string WebhookFailed = "webhook.failed";

    /// <summary>The types known today, for the UI's filter and the documentation.</summary>
    public static IReadOnlyList<string> Known { get; } =
    [
        MessageQueued, MessageSending, MessageSent, MessageDeferred, MessageFailed, MessageCancelled, MessageHeld, MessageBounced,
        MessageCaptured, SenderHeld, SettingsChanged, OAuthExpired, WebhookFailed,
    ];

    /// <summary>True for a type name: lowercase words joined by dots, e.g. <c>message.sent</c>.</summary>
    public static bool IsValidName(string? type) => type is not null && type.Length <= 100 && NamePattern().IsMatch(type);

    /// <summary>True for a webhook subscription: a type name, <c>prefix.*</c> or <c>*</c>.</summary>
    public static bool IsValidPattern(string? pattern) =>
        pattern == "*" || IsValidName(pattern) || (pattern is not null && pattern.Length <= 100 && pattern.EndsWith(".*", StringComparison.Ordinal) && PrefixPattern().IsMatch(pattern[..^2]));

    /// <summary>True when <paramref name="type"/> is one of <paramref name="patterns"/> (exact, <c>prefix.*</c> or <c>*</c>).</summary>
    public static bool Matches(IEnumerable<string> patterns, string type) => patterns.Any(p =>
        p == "*" || p == type || (p.EndsWith(".*", StringComparison.Ordinal) && type.StartsWith(p[..^1], StringComparison.Ordinal)));

    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$")]
    private static partial Regex PrefixPattern();
}
