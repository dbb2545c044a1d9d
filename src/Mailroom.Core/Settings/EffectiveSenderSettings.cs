using System.Text.Json.Serialization;

namespace Mailroom.Core.Settings;

/// <summary>Where an effective setting's value came from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SettingSource>))]
public enum SettingSource
{
    /// <summary>The user's own profile.</summary>
    [JsonStringEnumMemberName("user")] User,

    /// <summary>The user's account (their address and name), used when their profile names no sender.</summary>
    [JsonStringEnumMemberName("userAccount")] UserAccount,

    /// <summary>The shared sender's profile, which the administrator made everyone's base.</summary>
    [JsonStringEnumMemberName("sharedSender")] SharedSender,

    /// <summary>The company's global profile.</summary>
    [JsonStringEnumMemberName("global")] Global,

    /// <summary>Mailroom's built-in default.</summary>
    [JsonStringEnumMemberName("systemDefault")] SystemDefault,
}

/// <summary>One field of the effective settings: its value and where it came from.</summary>
public sealed record EffectiveValue(object? Value, SettingSource Source);

/// <summary>
/// The settings a message is really sent with, after inheritance: every field has a value (or
/// null where nothing is set anywhere) and a <see cref="SettingSource"/>.
/// </summary>
public sealed record EffectiveSenderSettings
{
    public required bool Enabled { get; init; }
    public string? AccountName { get; init; }
    public string? FromAddress { get; init; }
    public string? DisplayName { get; init; }
    public string? ReplyTo { get; init; }
    public string? Description { get; init; }
    public string ServerType => Settings.ServerType.Smtp;
    public string? Host { get; init; }
    public required int Port { get; init; }
    public required EncryptionMode Encryption { get; init; }
    public required AuthenticationMethod Authentication { get; init; }
    public string? Login { get; init; }

    /// <summary>The encrypted password to send with; never serialised.</summary>
    [JsonIgnore]
    public string? ProtectedPassword { get; init; }

    /// <summary>True when a password is available for this sender.</summary>
    public bool HasPassword => !string.IsNullOrEmpty(ProtectedPassword);
    public string? Bcc { get; init; }
    public string? Signature { get; init; }
    public required SenderMode SenderMode { get; init; }
    public string? CertificateSha256 { get; init; }
    public int? RateLimitPerMinute { get; init; }
    public int? RateLimitPerDay { get; init; }

    /// <summary>
    /// In the reply-to relay mode: the From address <c>&lt;organisation slug&gt;@&lt;system events domain&gt;</c>
    /// from the deployment settings (null while they are not set); null in every other mode.
    /// </summary>
    public string? ReplyToRelayFromAddress { get; init; }

    /// <summary>For every field (<see cref="SenderField"/> names), where its value came from.</summary>
    public required IReadOnlyDictionary<string, SettingSource> Sources { get; init; }

    /// <summary>Each field with its value and source, in the order the settings page shows them.</summary>
    public IReadOnlyDictionary<string, EffectiveValue> Fields => SenderField.All.ToDictionary(
        name => name,
        name => new EffectiveValue(ValueOf(name), Sources[name]));

    private object? ValueOf(string field) => field switch
    {
        SenderField.Enabled => Enabled,
        SenderField.AccountName => AccountName,
        SenderField.FromAddress => FromAddress,
        SenderField.DisplayName => DisplayName,
        SenderField.ReplyTo => ReplyTo,
        SenderField.Description => Description,
        SenderField.ServerType => ServerType,
        SenderField.Host => Host,
        SenderField.Port => Port,
        SenderField.Encryption => Encryption,
        SenderField.Authentication => Authentication,
        SenderField.Login => Login,
        SenderField.Password => HasPassword, // the secret itself never leaves; only whether there is one
        SenderField.Bcc => Bcc,
        SenderField.Signature => Signature,
        SenderField.SenderMode => SenderMode,
        SenderField.CertificateSha256 => CertificateSha256,
        SenderField.RateLimitPerMinute => RateLimitPerMinute,
        SenderField.RateLimitPerDay => RateLimitPerDay,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Unknown sender field."),
    };
}
