namespace Mailroom.Core.Settings;

/// <summary>
/// A sender profile as stored: the global one, or one user's. A <c>null</c> field means
/// "not set here": a user's profile inherits it, the global profile falls back to the system
/// default. The password is never held in plain text; <see cref="ProtectedPassword"/> is the
/// output of an <see cref="Security.ISecretProtector"/>.
/// </summary>
public sealed record SenderProfile
{
    /// <summary>Whether mail may be sent from this profile ("Włącz wysyłanie wiadomości email").</summary>
    public bool? Enabled { get; init; }

    /// <summary>Account name ("Nazwa konta"), e.g. "Comarch DMS".</summary>
    public string? AccountName { get; init; }

    /// <summary>Address the mail is sent from ("Email (wychodzący)").</summary>
    public string? FromAddress { get; init; }

    /// <summary>Sender name shown to recipients ("Nazwa wyświetlana").</summary>
    public string? DisplayName { get; init; }

    /// <summary>Optional Reply-To address ("Adres zwrotny").</summary>
    public string? ReplyTo { get; init; }

    /// <summary>Free text ("Opis").</summary>
    public string? Description { get; init; }

    /// <summary>SMTP server host name ("Nazwa serwera").</summary>
    public string? Host { get; init; }

    /// <summary>SMTP server port; must be allowed by the port policy.</summary>
    public int? Port { get; init; }

    /// <summary>Connection encryption ("Metoda szyfrowania").</summary>
    public EncryptionMode? Encryption { get; init; }

    /// <summary>Authentication method ("Metoda uwierzytelniania").</summary>
    public AuthenticationMethod? Authentication { get; init; }

    /// <summary>SMTP login ("Login").</summary>
    public string? Login { get; init; }

    /// <summary>The password, encrypted by the secret protector; never returned by any interface.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? ProtectedPassword { get; init; }

    /// <summary>Hidden copy of every message sent from this profile ("Kopia ukryta").</summary>
    public string? Bcc { get; init; }

    /// <summary>Text appended to the user's messages ("Podpis").</summary>
    public string? Signature { get; init; }

    /// <summary>Sender mode ("Nadawca wiadomości").</summary>
    public SenderMode? SenderMode { get; init; }

    /// <summary>SHA-256 fingerprint (64 hex digits) of the server's certificate, to trust a self-signed server; never "accept all".</summary>
    public string? CertificateSha256 { get; init; }

    /// <summary>At most this many messages a minute through this sender; more wait, none fail.</summary>
    public int? RateLimitPerMinute { get; init; }

    /// <summary>At most this many messages a day (a provider's daily cap); more wait until the window allows.</summary>
    public int? RateLimitPerDay { get; init; }

    /// <summary>True when a password is stored.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasPassword => !string.IsNullOrEmpty(ProtectedPassword);

    /// <summary>
    /// The stored value of <paramref name="field"/> (a <see cref="SenderField"/> name); for
    /// <c>password</c>, the ciphertext; for <c>serverType</c>, null (it is fixed).
    /// </summary>
    public object? ValueOf(string field) => field switch
    {
        SenderField.Enabled => Enabled,
        SenderField.AccountName => AccountName,
        SenderField.FromAddress => FromAddress,
        SenderField.DisplayName => DisplayName,
        SenderField.ReplyTo => ReplyTo,
        SenderField.Description => Description,
        SenderField.ServerType => null,
        SenderField.Host => Host,
        SenderField.Port => Port,
        SenderField.Encryption => Encryption,
        SenderField.Authentication => Authentication,
        SenderField.Login => Login,
        SenderField.Password => ProtectedPassword,
        SenderField.Bcc => Bcc,
        SenderField.Signature => Signature,
        SenderField.SenderMode => SenderMode,
        SenderField.CertificateSha256 => CertificateSha256,
        SenderField.RateLimitPerMinute => RateLimitPerMinute,
        SenderField.RateLimitPerDay => RateLimitPerDay,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Unknown sender field."),
    };

    /// <summary>An empty profile: everything inherited.</summary>
    public static SenderProfile Empty { get; } = new();
}
