namespace Mailroom.Core.Settings;

/// <summary>Settings the administrator owns beside the global profile.</summary>
public sealed record DeploymentSettings
{
    /// <summary>The user whose profile is everyone's base ("mail sending user code"), or null.</summary>
    public string? SharedSenderUserId { get; init; }

    /// <summary>Which SMTP ports profiles may use.</summary>
    public PortPolicy PortPolicy { get; init; } = PortPolicy.Default;

    /// <summary>The reply-to relay sender mode's From: organisation slug and system events domain.</summary>
    public ReplyToRelaySettings ReplyToRelay { get; init; } = ReplyToRelaySettings.Empty;

    /// <summary>A fresh installation's settings.</summary>
    public static DeploymentSettings Default { get; } = new();
}

/// <summary>
/// The reply-to relay ("Odpowiedź bezpośrednia"): mail goes out From
/// <c>&lt;organisation slug&gt;@&lt;system events domain&gt;</c> with the user's display name, and
/// Reply-To the user, so bounces come back to the deployment and no customer SPF change is needed.
/// </summary>
/// <param name="EventsDomain">The system events domain, e.g. <c>events.example.net</c>; null while not set.</param>
/// <param name="OrganisationSlug">The organisation's local part on it, e.g. <c>acme</c>; null while not set.</param>
public sealed record ReplyToRelaySettings(string? EventsDomain, string? OrganisationSlug)
{
    /// <summary>Nothing set.</summary>
    public static ReplyToRelaySettings Empty { get; } = new(null, null);

    /// <summary>True when both parts are set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(EventsDomain) && !string.IsNullOrWhiteSpace(OrganisationSlug);

    /// <summary>The From address, or null while not configured.</summary>
    public string? FromAddress => IsConfigured ? $"{OrganisationSlug}@{EventsDomain}" : null;
}
