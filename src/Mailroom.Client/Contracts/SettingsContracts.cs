using Mailroom.Core.Settings;

namespace Mailroom.Client;

/// <summary>One issue as the API shows it: the field, a stable code and a sentence in the caller's language.</summary>
public sealed record IssueView(string Field, string Code, string Severity, string Message);

/// <summary>A stored profile as the API returns it: no secret, only whether one is set.</summary>
public sealed record SenderProfileView(
    bool? Enabled, string? AccountName, string? FromAddress, string? DisplayName, string? ReplyTo, string? Description,
    string ServerType, string? Host, int? Port, EncryptionMode? Encryption, AuthenticationMethod? Authentication,
    string? Login, bool HasPassword, string? Bcc, string? Signature, SenderMode? SenderMode,
    string? CertificateSha256, int? RateLimitPerMinute, int? RateLimitPerDay)
{
    public static SenderProfileView From(SenderProfile p) => new(
        p.Enabled, p.AccountName, p.FromAddress, p.DisplayName, p.ReplyTo, p.Description, ServerType: Core.Settings.ServerType.Smtp,
        p.Host, p.Port, p.Encryption, p.Authentication, p.Login, p.HasPassword, p.Bcc, p.Signature, p.SenderMode,
        p.CertificateSha256, p.RateLimitPerMinute, p.RateLimitPerDay);
}

/// <summary>The answer to a successful save.</summary>
/// <param name="Message">"Settings saved." in the caller's language.</param>
/// <param name="Profile">The profile as stored.</param>
/// <param name="Warnings">Things worth knowing that did not stop the save.</param>
public sealed record SettingsSavedView(string Message, SenderProfileView Profile, IssueView[] Warnings);

/// <summary>Effective settings: each field's value and where it came from.</summary>
public sealed record EffectiveSettingsView(string? UserId, string? SharedSenderUserId, IReadOnlyDictionary<string, EffectiveValue> Fields);

/// <summary>The port policy.</summary>
public sealed record PortPolicyView(IReadOnlyList<int> DefaultPorts, IReadOnlyList<int> AdditionalPorts, IReadOnlyList<int> AllowedPorts)
{
    public static PortPolicyView From(PortPolicy p) => new(PortPolicy.DefaultPorts, p.AdditionalPorts, p.AllowedPorts);
}

/// <summary>Body of PUT /api/settings/port-policy.</summary>
public sealed record PortPolicyInput(IReadOnlyList<int>? AdditionalPorts);

/// <summary>The shared sender (null: none).</summary>
public sealed record SharedSenderView(string? UserId);
