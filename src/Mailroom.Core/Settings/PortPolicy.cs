namespace Mailroom.Core.Settings;

/// <summary>
/// The SMTP ports a profile may use. 25, 465 and 587 are always open; an administrator can
/// open more (a deployment's firewall decides what really gets out).
/// </summary>
public sealed record PortPolicy
{
    /// <summary>The ports open on every deployment.</summary>
    public static IReadOnlyList<int> DefaultPorts { get; } = [25, 465, 587];

    /// <summary>Ports the administrator opened on top of the defaults.</summary>
    public IReadOnlyList<int> AdditionalPorts { get; init; } = [];

    /// <summary>Defaults plus the additional ports, sorted, without duplicates.</summary>
    public IReadOnlyList<int> AllowedPorts => DefaultPorts.Concat(AdditionalPorts).Distinct().Order().ToArray();

    /// <summary>Whether <paramref name="port"/> may be used.</summary>
    public bool Allows(int port) => DefaultPorts.Contains(port) || AdditionalPorts.Contains(port);

    /// <summary>The policy of a fresh installation.</summary>
    public static PortPolicy Default { get; } = new();
}
