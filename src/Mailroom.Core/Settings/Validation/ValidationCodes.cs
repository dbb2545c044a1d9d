namespace Mailroom.Core.Settings.Validation;

/// <summary>
/// The stable codes <see cref="SenderProfileValidator"/> reports. Clients may branch on them;
/// the sentences live in <c>MessagesValidation.cs</c>, one per code in English and Polish.
/// </summary>
public static class ValidationCodes
{
    /// <summary>A header-bound field holds CR, LF or another control character (header injection).</summary>
    public const string HeaderControlCharacters = "header.controlCharacters";

    /// <summary>Description or signature holds a control character other than CR, LF or TAB.</summary>
    public const string TextControlCharacters = "text.controlCharacters";

    /// <summary>A text is longer than its field allows; args: <c>max</c>.</summary>
    public const string FieldTooLong = "field.tooLong";

    /// <summary>The administrator named a shared sender; only login and password may be set.</summary>
    public const string SharedSenderOnlyCredentials = "sharedSender.onlyCredentials";

    /// <summary>Server type other than SMTP; args: <c>value</c>.</summary>
    public const string ServerTypeNotSmtp = "serverType.notSmtp";

    /// <summary>The host starts with a scheme such as <c>smtp://</c>; args: <c>suggestion</c>.</summary>
    public const string HostHasScheme = "host.hasScheme";

    /// <summary>The host contains spaces.</summary>
    public const string HostContainsSpaces = "host.containsSpaces";

    /// <summary>The host is neither a DNS name nor an IP address; args: <c>host</c>.</summary>
    public const string HostInvalid = "host.invalid";

    /// <summary>The text after the colon in <c>host:port</c> is not a number; args: <c>suffix</c>.</summary>
    public const string HostInvalidPortSuffix = "host.invalidPortSuffix";

    /// <summary><c>host:port</c> names another port than the port field; args: <c>hostPort</c>, <c>port</c>.</summary>
    public const string HostPortConflict = "host.portConflict";

    /// <summary>Port outside 1–65535; args: <c>port</c>.</summary>
    public const string PortOutOfRange = "port.outOfRange";

    /// <summary>Port not in the port policy; args: <c>port</c>, <c>allowedPorts</c>.</summary>
    public const string PortNotAllowed = "port.notAllowed";

    /// <summary>Warning: implicit SSL/TLS on 25 or 587; args: <c>port</c>.</summary>
    public const string EncryptionSslTlsOnStartTlsPort = "encryption.sslTlsOnStartTlsPort";

    /// <summary>Warning: STARTTLS on 465; args: <c>port</c>.</summary>
    public const string EncryptionStartTlsOnImplicitTlsPort = "encryption.startTlsOnImplicitTlsPort";

    /// <summary>Warning: no encryption on 465; args: <c>port</c>.</summary>
    public const string EncryptionNoneOnImplicitTlsPort = "encryption.noneOnImplicitTlsPort";

    /// <summary>Warning: login and password over an unencrypted connection.</summary>
    public const string EncryptionNoneWithPassword = "encryption.noneWithPassword";

    /// <summary>Not a valid addr-spec; args: <c>address</c>.</summary>
    public const string AddressInvalid = "address.invalid";

    /// <summary>Local part over 64 characters; args: <c>address</c>, <c>max</c>.</summary>
    public const string AddressLocalPartTooLong = "address.localPartTooLong";

    /// <summary>Address over 254 characters; args: <c>address</c>, <c>max</c>.</summary>
    public const string AddressTooLong = "address.tooLong";

    /// <summary>Reply-To or BCC typed as <c>"Name" &lt;address&gt;</c>; args: <c>address</c>.</summary>
    public const string AddressNameForm = "address.nameForm";

    /// <summary>From typed as <c>"Name" &lt;address&gt;</c>; args: <c>name</c>, <c>address</c>.</summary>
    public const string FromAddressNameForm = "fromAddress.nameForm";

    /// <summary>Login-and-password authentication without a password.</summary>
    public const string PasswordRequired = "password.required";

    /// <summary>A user sets an own login under inherited login-and-password without a password.</summary>
    public const string PasswordRequiredWithLogin = "password.requiredWithLogin";

    /// <summary>A password given while the authentication is None or OAuth2.</summary>
    public const string PasswordNotUsed = "password.notUsed";

    /// <summary>A password made of spaces only.</summary>
    public const string PasswordBlank = "password.blank";

    /// <summary>Warning: a Gmail password that is not a 16-letter app password.</summary>
    public const string GmailAppPasswordExpected = "password.gmailAppPasswordExpected";

    /// <summary>Warning: Microsoft 365 with login and password (basic auth retired April 2026).</summary>
    public const string Microsoft365BasicAuthRetired = "authentication.microsoft365BasicAuthRetired";

    /// <summary>Sender mode Microsoft 365 OAuth with another authentication method.</summary>
    public const string Microsoft365ModeNeedsOAuth = "authentication.microsoft365ModeNeedsOAuth";

    /// <summary>The certificate pin is not a SHA-256 fingerprint (64 hex digits).</summary>
    public const string CertificateSha256Invalid = "certificateSha256.invalid";

    /// <summary>A rate limit below 1 or above the sanity bound.</summary>
    public const string RateLimitOutOfRange = "rateLimit.outOfRange";

    /// <summary>Every code above, for clients and for the test that each has a sentence in both languages.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        HeaderControlCharacters, TextControlCharacters, FieldTooLong, SharedSenderOnlyCredentials,
        ServerTypeNotSmtp, HostHasScheme, HostContainsSpaces, HostInvalid, HostInvalidPortSuffix,
        HostPortConflict, PortOutOfRange, PortNotAllowed, EncryptionSslTlsOnStartTlsPort,
        EncryptionStartTlsOnImplicitTlsPort, EncryptionNoneOnImplicitTlsPort, EncryptionNoneWithPassword,
        AddressInvalid, AddressLocalPartTooLong, AddressTooLong, AddressNameForm, FromAddressNameForm,
        PasswordRequired, PasswordRequiredWithLogin, PasswordNotUsed, PasswordBlank,
        GmailAppPasswordExpected, Microsoft365BasicAuthRetired, Microsoft365ModeNeedsOAuth,
        CertificateSha256Invalid, RateLimitOutOfRange,
    ];
}
