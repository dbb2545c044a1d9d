namespace Mailroom.Core.Settings;

/// <summary>Settings the administrator owns beside the global profile.</summary>
public sealed record DeploymentSettings
{
    /// <summary>The user whose profile is everyone's base ("mail sending user code"), or null.</summary>
    public string? SharedSenderUserId { get; init; }

    /// <summary>Which SMTP ports profiles may use.</summary>
    public PortPolicy PortPolicy { get; init; } = PortPolicy.Default;

    /// <summary>A fresh installation's settings.</summary>
    public static DeploymentSettings Default { get; } = new();
}
