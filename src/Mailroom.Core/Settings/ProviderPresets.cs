namespace Mailroom.Core.Settings;

/// <summary>A well-known mail provider's SMTP settings, offered by "choose a provider".</summary>
/// <param name="Key">Stable id ("gmail", "wp", …).</param>
/// <param name="Name">The provider's name as people know it.</param>
/// <param name="Host">SMTP server.</param>
/// <param name="Port">SMTP port.</param>
/// <param name="Encryption">Encryption the provider expects on that port.</param>
/// <param name="Authentication">How to sign in.</param>
/// <param name="HintCode">A localized sentence worth reading before using it (app password, OAuth…), or null.</param>
public sealed record ProviderPreset(string Key, string Name, string Host, int Port, EncryptionMode Encryption, AuthenticationMethod Authentication, string? HintCode);

/// <summary>
/// The providers the settings page can fill in. The one place this list lives (the full catalog
/// comes with the presets issue). WP and Onet follow the examples in the Comarch DMS help page.
/// </summary>
public static class ProviderPresets
{
    /// <summary>Every preset, in the order the page offers them.</summary>
    public static IReadOnlyList<ProviderPreset> All { get; } =
    [
        new("gmail", "Gmail / Google Workspace", "smtp.gmail.com", 465, EncryptionMode.SslTls, AuthenticationMethod.Password, "ui.help.gmail"),
        new("microsoft365", "Microsoft 365", "smtp.office365.com", 587, EncryptionMode.StartTls, AuthenticationMethod.OAuth2Microsoft365, "ui.help.microsoft365"),
        // The Comarch example for Jan Kowalski: smtp.wp.pl, 587, Automatic.
        new("wp", "Poczta WP", "smtp.wp.pl", 587, EncryptionMode.Auto, AuthenticationMethod.Password, null),
        new("onet", "Onet Poczta", "smtp.poczta.onet.pl", 465, EncryptionMode.SslTls, AuthenticationMethod.Password, null),
        new("interia", "Interia", "poczta.interia.pl", 465, EncryptionMode.SslTls, AuthenticationMethod.Password, null),
        new("o2", "o2", "poczta.o2.pl", 465, EncryptionMode.SslTls, AuthenticationMethod.Password, null),
    ];
}
