using Mailroom.Core.Audit;
using Mailroom.Core.Settings.Validation;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Settings;

/// <summary>
/// Changes the administrator's deployment-wide settings (port policy, shared sender), validated
/// and audited. Shared by the HTTP API and the web UI.
/// </summary>
public sealed class DeploymentSettingsService(ISettingsStore settings, IUserStore users, TimeProvider clock)
{
    /// <summary>The settings as stored.</summary>
    public Task<DeploymentSettings> GetAsync(CancellationToken cancellationToken = default) =>
        settings.GetDeploymentSettingsAsync(cancellationToken);

    /// <summary>Opens <paramref name="ports"/> on top of 25, 465 and 587; refuses any number outside 1–65535 and changes nothing then.</summary>
    public async Task<(PortPolicy? Policy, IReadOnlyList<ValidationIssue> Issues)> SetAdditionalPortsAsync(
        IReadOnlyList<int> ports, string actorUserId, CancellationToken cancellationToken = default)
    {
        var invalid = ports.Where(p => p is < 1 or > 65535).ToArray();
        if (invalid.Length > 0) return (null, [Error("additionalPorts", "portPolicy.invalidPort", invalid[0])]);
        var current = await settings.GetDeploymentSettingsAsync(cancellationToken);
        var policy = new PortPolicy { AdditionalPorts = ports.Where(p => !PortPolicy.DefaultPorts.Contains(p)).Distinct().Order().ToArray() };
        await settings.SaveDeploymentSettingsAsync(current with { PortPolicy = policy },
            new SettingsAuditEntry(clock.GetUtcNow(), actorUserId, SettingsAuditEntry.PortPolicyTarget, ["additionalPorts"]), cancellationToken);
        return (policy, []);
    }

    /// <summary>Names the shared sender (null removes it); refuses an unknown user and changes nothing then.</summary>
    public async Task<IReadOnlyList<ValidationIssue>> SetSharedSenderAsync(string? userId, string actorUserId, CancellationToken cancellationToken = default)
    {
        if (userId is not null && await users.GetAsync(userId, cancellationToken) is null)
            return [Error("userId", "sharedSender.userNotFound", userId)];
        var current = await settings.GetDeploymentSettingsAsync(cancellationToken);
        await settings.SaveDeploymentSettingsAsync(current with { SharedSenderUserId = userId },
            new SettingsAuditEntry(clock.GetUtcNow(), actorUserId, SettingsAuditEntry.SharedSenderTarget, ["userId"]), cancellationToken);
        return [];
    }

    private static ValidationIssue Error(string field, string code, object? value) =>
        new(field, code, IssueSeverity.Error, new Dictionary<string, object?> { ["value"] = value });
}
