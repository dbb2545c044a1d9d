using System.Text.Json.Serialization;

namespace Mailroom.Core.Settings;

/// <summary>How the connection to the SMTP server is encrypted ("Metoda szyfrowania").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EncryptionMode>))]
public enum EncryptionMode
{
    /// <summary>No encryption. Credentials are sent only when the profile says so explicitly.</summary>
    [JsonStringEnumMemberName("none")] None,

    /// <summary>Implicit TLS from the first byte (usual on port 465).</summary>
    [JsonStringEnumMemberName("sslTls")] SslTls,

    /// <summary>Plain connection upgraded with STARTTLS, which must be offered (usual on 25 and 587).</summary>
    [JsonStringEnumMemberName("startTls")] StartTls,

    /// <summary>465 → implicit TLS; any other port → STARTTLS when the server offers it.</summary>
    [JsonStringEnumMemberName("auto")] Auto,
}

/// <summary>How Mailroom authenticates to the SMTP server ("Metoda uwierzytelniania").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuthenticationMethod>))]
public enum AuthenticationMethod
{
    /// <summary>No SMTP AUTH (Directo: an empty user name).</summary>
    [JsonStringEnumMemberName("none")] None,

    /// <summary>Login and password ("Login i hasło").</summary>
    [JsonStringEnumMemberName("password")] Password,

    /// <summary>OAuth2 against Microsoft 365 (XOAUTH2).</summary>
    [JsonStringEnumMemberName("oauth2Microsoft365")] OAuth2Microsoft365,

    /// <summary>OAuth2 against Google (XOAUTH2).</summary>
    [JsonStringEnumMemberName("oauth2Google")] OAuth2Google,
}

/// <summary>Who the message is sent as and through which server ("Nadawca wiadomości").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SenderMode>))]
public enum SenderMode
{
    /// <summary>The deployment's own relay (or local capture when none is configured).</summary>
    [JsonStringEnumMemberName("system")] System,

    /// <summary>The profile's own SMTP server.</summary>
    [JsonStringEnumMemberName("ownSmtp")] OwnSmtp,

    /// <summary>Microsoft 365 with OAuth2.</summary>
    [JsonStringEnumMemberName("microsoft365OAuth")] Microsoft365OAuth,

    /// <summary>From is the organisation's system address, Reply-To the user; bounces come back as events.</summary>
    [JsonStringEnumMemberName("replyToRelay")] ReplyToRelay,
}

/// <summary>The only server type Mailroom sends through ("Typ serwera"); shown read-only.</summary>
public static class ServerType
{
    /// <summary>The fixed value of <c>serverType</c>.</summary>
    public const string Smtp = "smtp";
}
