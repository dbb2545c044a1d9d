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

    /// <summary>
    /// Sets the reply-to relay's organisation slug and system events domain (both null clears
    /// them); refuses a slug that is not a plain local part or a domain that is not a DNS name, and changes nothing then.
    /// </summary>
    public async Task<(ReplyToRelaySettings? Relay, IReadOnlyList<ValidationIssue> Issues)> SetReplyToRelayAsync(
        string? organisationSlug, string? eventsDomain, string actorUserId, CancellationToken cancellationToken = default)
    {
        var slug = string.IsNullOrWhiteSpace(organisationSlug) ? null : organisationSlug.Trim().ToLowerInvariant();
        var domain = string.IsNullOrWhiteSpace(eventsDomain) ? null : eventsDomain.Trim().TrimEnd('.').ToLowerInvariant();
        var issues = new List<ValidationIssue>();
        if (slug is not null && !IsSlug(slug)) issues.Add(Error("organisationSlug", "replyToRelay.slugInvalid", organisationSlug));
        if (domain is not null && !HostRules.TryGetAsciiDnsName(domain, requireDot: true, out domain)) issues.Add(Error("eventsDomain", "replyToRelay.domainInvalid", eventsDomain));
        if (issues.Count == 0 && (slug is null) != (domain is null))
            issues.Add(slug is null ? Error("organisationSlug", "replyToRelay.incomplete", null) : Error("eventsDomain", "replyToRelay.incomplete", null));
        if (issues.Count > 0) return (null, issues);
        var relay = new ReplyToRelaySettings(domain, slug);
        var current = await settings.GetDeploymentSettingsAsync(cancellationToken);
        await settings.SaveDeploymentSettingsAsync(current with { ReplyToRelay = relay },
            new SettingsAuditEntry(clock.GetUtcNow(), actorUserId, SettingsAuditEntry.ReplyToRelayTarget, ["organisationSlug", "eventsDomain"]), cancellationToken);
        return (relay, []);
    }

    // A dot-atom local part of letters, digits, '.', '-' and '_', at most 64 characters.
    private static bool IsSlug(string slug) =>
        slug.Length <= 64 && slug.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_') && !slug.StartsWith('.') && !slug.EndsWith('.') && !slug.Contains("..");

    private static ValidationIssue Error(string field, string code, object? value) =>
        new(field, code, IssueSeverity.Error, new Dictionary<string, object?> { ["value"] = value });
}
