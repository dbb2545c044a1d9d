using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Core.Presets;
using Mailroom.Core.Settings;

namespace Mailroom.Client;

/// <summary>A catalog entry as the API shows it, with its notes in the caller's language.</summary>
public sealed record ProviderView(
    string Key, string Name, IReadOnlyList<string> Domains, IReadOnlyList<string> Mx, string Host, int Port,
    EncryptionMode Encryption, AuthenticationMethod Authentication, IReadOnlyList<AuthenticationMethod> AuthenticationMethods,
    LoginFormat Login, AppPasswordRule? AppPassword, int? DailyLimit, int? PerMinuteLimit, string? HelpUrl, IReadOnlyList<string> Notes)
{
    /// <summary>The view of <paramref name="entry"/> in <paramref name="language"/>.</summary>
    public static ProviderView Of(ProviderEntry entry, string language) => new(
        entry.Key, entry.Name, entry.Domains, entry.Mx, entry.Host, entry.Port, entry.Encryption, entry.Authentication,
        entry.AuthenticationMethods, entry.Login, entry.AppPassword, entry.DailyLimit, entry.PerMinuteLimit, entry.HelpUrl,
        entry.Notes.Select(note => Core.Localization.Messages.Format(note, language)).ToList());
}

/// <summary>The settings a lookup suggests (what the settings form fills in).</summary>
public sealed record PresetSettingsView(
    string? Host, int? Port, EncryptionMode? Encryption, AuthenticationMethod? Authentication, string? Login,
    SenderMode? SenderMode, int? RateLimitPerDay, int? RateLimitPerMinute);

/// <summary>A hint with its sentence.</summary>
public sealed record PresetHintView(string Code, string Message);

/// <summary>One probe of detection.</summary>
public sealed record DetectionCandidateView(
    string Host, int Port, EncryptionMode Encryption, ProbeOutcome Outcome, IReadOnlyList<string> AuthMechanisms,
    bool? StartTlsOffered, string? CertificateTrust, string? CertificateSha256, IReadOnlyList<PresetHintView> Hints);

/// <summary>Detection's probes, best first.</summary>
public sealed record DetectionView(long DurationMs, bool TimedOut, IReadOnlyList<DetectionCandidateView> Candidates);

/// <summary>The answer of <c>GET /api/presets/lookup</c>.</summary>
public sealed record PresetLookupView(
    string Email, string Domain, PresetSource Source, ProviderView? Provider, PresetSettingsView? Settings,
    IReadOnlyList<string> Explanation, DetectionView? Detection, IReadOnlyList<string>? MxHosts);
