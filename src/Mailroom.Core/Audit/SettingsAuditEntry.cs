namespace Mailroom.Core.Audit;

/// <summary>
/// One change to the settings: who, when, what (a profile, the port policy, the shared
/// sender) and which fields. Never the values: a password change is recorded as the field
/// name "password" only.
/// </summary>
/// <param name="At">When the change was saved.</param>
/// <param name="ActorUserId">Who saved it.</param>
/// <param name="Target">"global", "user:&lt;id&gt;", "portPolicy" or "sharedSender".</param>
/// <param name="ChangedFields">The names of the fields whose value changed.</param>
public sealed record SettingsAuditEntry(DateTimeOffset At, string ActorUserId, string Target, IReadOnlyList<string> ChangedFields)
{
    /// <summary>The storage's sequence number; 0 until stored.</summary>
    public long Id { get; init; }

    /// <summary>Audit target of the port policy.</summary>
    public const string PortPolicyTarget = "portPolicy";

    /// <summary>Audit target of the shared-sender choice.</summary>
    public const string SharedSenderTarget = "sharedSender";

    /// <summary>The audit target of the reply-to relay settings.</summary>
    public const string ReplyToRelayTarget = "replyToRelay";
}
