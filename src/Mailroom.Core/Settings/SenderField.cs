namespace Mailroom.Core.Settings;

/// <summary>
/// The names of the sender-profile fields as they appear in the API (camelCase) and in
/// validation errors, audit entries and the effective-settings view.
/// </summary>
public static class SenderField
{
    public const string Enabled = "enabled";
    public const string AccountName = "accountName";
    public const string FromAddress = "fromAddress";
    public const string DisplayName = "displayName";
    public const string ReplyTo = "replyTo";
    public const string Description = "description";
    public const string ServerType = "serverType";
    public const string Host = "host";
    public const string Port = "port";
    public const string Encryption = "encryption";
    public const string Authentication = "authentication";
    public const string Login = "login";
    public const string Password = "password";
    public const string Bcc = "bcc";
    public const string Signature = "signature";
    public const string SenderMode = "senderMode";
    public const string CertificateSha256 = "certificateSha256";
    public const string RateLimitPerMinute = "rateLimitPerMinute";
    public const string RateLimitPerDay = "rateLimitPerDay";

    /// <summary>Every field, in the order the settings page shows them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Enabled, AccountName, FromAddress, DisplayName, ReplyTo, Description, ServerType, Host, Port,
        Encryption, Authentication, Login, Password, Bcc, Signature, SenderMode, CertificateSha256,
        RateLimitPerMinute, RateLimitPerDay,
    ];

    /// <summary>The fields a user may still set while the administrator has named a shared sender.</summary>
    public static IReadOnlySet<string> OverridableUnderSharedSender { get; } = new HashSet<string> { Login, Password };
}
