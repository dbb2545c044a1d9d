using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Mailroom.Core.Mail;

namespace Mailroom.Core.Delivery.ConnectionCheck;

/// <summary>
/// Picks the hint for a failure: by the step, the SMTP code and enhanced code, the certificate's
/// validation errors and the provider the host belongs to — never by the server's free text.
/// Every code here has a sentence in both languages (<c>check.hint.*</c> in MessagesConnectionCheck.cs).
/// </summary>
public static class ConnectionCheckHints
{
    /// <summary>Every hint code the check can give (tests make sure each has two different sentences).</summary>
    public static IReadOnlyList<string> AllCodes { get; } =
    [
        HostNotFound, DnsFailed, DnsTimeout, ConnectionRefused, PortFiltered, ConnectFailed,
        SslOnStartTlsPort, StartTlsOnImplicitTlsPort, NoAnswer, GreetingRefused, EhloFailed, TlsHandshakeFailed,
        CertificateUntrusted, CertificateNameMismatch, CertificateExpired, CertificateNotYetValid, CertificatePinMismatch,
        CertificateMissing, CertificateExpiresSoon, CertificateExpiredButPinned,
        EncryptionNone, StartTlsNotOffered, StartTlsNotOfferedAutomatic, StartTlsRefused,
        PlaintextRefused, AuthNotOffered, BadCredentials, GmailAppPassword, Microsoft365SmtpAuth, AuthNeedsEncryption,
        AuthRefused, Unexpected, BlockedAddress, .. OAuthCodes,
    ];

    /// <summary>DNS says the name does not exist.</summary>
    public const string HostNotFound = "hostNotFound";
    /// <summary>The name resolves only to internal addresses, which user profiles may not reach (SSRF rule).</summary>
    public const string BlockedAddress = "blockedAddress";
    /// <summary>DNS failed for another reason.</summary>
    public const string DnsFailed = "dnsFailed";
    /// <summary>DNS did not answer in time.</summary>
    public const string DnsTimeout = "dnsTimeout";
    /// <summary>Nothing listens on the port (RST).</summary>
    public const string ConnectionRefused = "connectionRefused";
    /// <summary>No answer to the TCP connect: a firewall drops the packets.</summary>
    public const string PortFiltered = "portFiltered";
    /// <summary>Another TCP error (unreachable network, …).</summary>
    public const string ConnectFailed = "connectFailed";
    /// <summary>SSL/TLS chosen, but the server spoke plain SMTP (a STARTTLS or plain port).</summary>
    public const string SslOnStartTlsPort = "wrongEncryption.sslOnStartTlsPort";
    /// <summary>STARTTLS/Automatic/None chosen, but no SMTP greeting came (an implicit-TLS port).</summary>
    public const string StartTlsOnImplicitTlsPort = "wrongEncryption.startTlsOnImplicitTlsPort";
    /// <summary>The server went silent.</summary>
    public const string NoAnswer = "noAnswer";
    /// <summary>The greeting was not 220.</summary>
    public const string GreetingRefused = "greetingRefused";
    /// <summary>EHLO was not accepted.</summary>
    public const string EhloFailed = "ehloFailed";
    /// <summary>The TLS handshake failed before any certificate could be judged.</summary>
    public const string TlsHandshakeFailed = "tlsHandshakeFailed";
    /// <summary>Chain not trusted (self-signed or unknown CA): pin the fingerprint.</summary>
    public const string CertificateUntrusted = "certificate.untrusted";
    /// <summary>The certificate does not name the host.</summary>
    public const string CertificateNameMismatch = "certificate.nameMismatch";
    /// <summary>The certificate has expired.</summary>
    public const string CertificateExpired = "certificate.expired";
    /// <summary>The certificate is not valid yet.</summary>
    public const string CertificateNotYetValid = "certificate.notYetValid";
    /// <summary>A fingerprint is pinned, and the server presented another certificate.</summary>
    public const string CertificatePinMismatch = "certificate.pinMismatch";
    /// <summary>The server presented no certificate.</summary>
    public const string CertificateMissing = "certificate.missing";
    /// <summary>Trusted, but expiring soon (warning).</summary>
    public const string CertificateExpiresSoon = "certificate.expiresSoon";
    /// <summary>Trusted by its pin, but expired (warning).</summary>
    public const string CertificateExpiredButPinned = "certificate.expiredButPinned";
    /// <summary>Encryption None (warning).</summary>
    public const string EncryptionNone = "encryption.none";
    /// <summary>STARTTLS required, not offered.</summary>
    public const string StartTlsNotOffered = "startTls.notOffered";
    /// <summary>Automatic, STARTTLS not offered: the connection stays unencrypted (warning).</summary>
    public const string StartTlsNotOfferedAutomatic = "startTls.notOfferedAutomatic";
    /// <summary>The server answered STARTTLS with an error.</summary>
    public const string StartTlsRefused = "startTls.refused";
    /// <summary>The password was not sent over an unencrypted connection.</summary>
    public const string PlaintextRefused = "auth.plaintextRefused";
    /// <summary>The server offers no AUTH (here, or before STARTTLS).</summary>
    public const string AuthNotOffered = "auth.notOffered";
    /// <summary>535: login or password wrong.</summary>
    public const string BadCredentials = "auth.badCredentials";
    /// <summary>Gmail refuses the account password: an app password is needed.</summary>
    public const string GmailAppPassword = "auth.gmailAppPassword";
    /// <summary>Microsoft 365: SMTP AUTH disabled for the mailbox/tenant, or OAuth needed.</summary>
    public const string Microsoft365SmtpAuth = "auth.microsoft365SmtpAuth";
    /// <summary>530: the server wants encryption before AUTH.</summary>
    public const string AuthNeedsEncryption = "auth.needsEncryption";
    /// <summary>AUTH refused with another reply.</summary>
    public const string AuthRefused = "auth.refused";
    /// <summary>The OAuth2 hints: "auth.oauth." + the reason of an <see cref="OAuth.OAuthProblemException"/> code, or the server's refusal.</summary>
    public static IReadOnlyList<string> OAuthCodes =>
        [.. new[]
        {
            OAuth.OAuthProblemException.NotSignedIn, OAuth.OAuthProblemException.SignInAgain, OAuth.OAuthProblemException.ConsentMissing,
            OAuth.OAuthProblemException.WrongAccount, OAuth.OAuthProblemException.NotConfigured, OAuth.OAuthProblemException.ProviderError,
            OAuth.OAuthProblemException.TokenRefused, OAuth.OAuthProblemException.SmtpAuthDisabled,
        }.Select(OAuthHintCode)];

    /// <summary>The prefix of the OAuth2 hint codes.</summary>
    public const string OAuthPrefix = "auth.oauth.";

    /// <summary>The hint for an OAuth2 problem (its code is "oauth.problem.&lt;reason&gt;").</summary>
    public static ConnectionCheckHint ForOAuthProblem(OAuth.OAuthProblemException problem, string providerName) =>
        new(OAuthHintCode(problem.Code), new Dictionary<string, string>
        {
            ["provider"] = providerName,
            ["detail"] = problem.Message,
            ["account"] = problem.Data["account"] as string ?? "",
            ["expected"] = problem.Data["expected"] as string ?? "",
        });

    /// <summary>The server refused an OAuth2 token: SMTP AUTH disabled (5.7.139) or a revoked/expired/other-account token.</summary>
    public static ConnectionCheckHint ForOAuthRefused(SmtpReply? reply, string providerName, string? account) =>
        Hint(OAuthHintCode(OAuth.OAuthProblemException.RefusalCode(reply)),
            ("provider", providerName), ("account", account ?? ""), ("reply", reply?.ToString() ?? ""));

    // "oauth.problem.<reason>" → "auth.oauth.<reason>"
    private static string OAuthHintCode(string problemCode) => OAuthPrefix + problemCode[(problemCode.LastIndexOf('.') + 1)..];

    /// <summary>Anything else, with the error's words.</summary>
    public const string Unexpected = "unexpected";

    /// <summary>A hint with its arguments.</summary>
    public static ConnectionCheckHint Hint(string code, params (string Name, string Value)[] args) =>
        new(code, args.ToDictionary(arg => arg.Name, arg => arg.Value));

    /// <summary>True for Gmail / Google Workspace SMTP hosts.</summary>
    public static bool IsGmailHost(string host) => HostIs(host, "smtp.gmail.com", "smtp.googlemail.com", "gmail.com", "googlemail.com");

    /// <summary>True for Microsoft 365 / Outlook.com SMTP hosts.</summary>
    public static bool IsMicrosoft365Host(string host) => HostIs(host, "smtp.office365.com", "smtp-mail.outlook.com", "office365.com", "outlook.com");

    /// <summary>What to do when the server refused AUTH with <paramref name="reply"/> (null when it gave none we could read).</summary>
    public static ConnectionCheckHint ForAuthenticationRefused(string host, SmtpReply? reply, string? login)
    {
        var code = reply?.Code ?? 535;
        var replyText = reply?.ToString() ?? "";
        if (IsMicrosoft365Host(host) || reply?.IsSmtpAuthDisabled == true)
            return Hint(Microsoft365SmtpAuth, ("login", login ?? ""), ("reply", replyText));
        if (IsGmailHost(host) && code is 534 or 535)
            return Hint(GmailAppPassword, ("login", login ?? ""), ("reply", replyText));
        return code switch
        {
            530 => Hint(AuthNeedsEncryption, ("reply", replyText)),
            534 or 535 or 538 => Hint(BadCredentials, ("login", login ?? ""), ("reply", replyText)),
            _ => Hint(AuthRefused, ("reply", replyText)),
        };
    }

    /// <summary>
    /// Why a certificate was not trusted, most specific first; each hint shows the fingerprint
    /// so an administrator who knows the server can pin it.
    /// </summary>
    public static IReadOnlyList<ConnectionCheckHint> ForUntrustedCertificate(
        X509Certificate2? certificate, SslPolicyErrors errors, X509ChainStatusFlags chainStatus, string host, string? pinnedSha256, DateTimeOffset now)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return [Hint(CertificateMissing)];
        var fingerprint = SmtpConnector.Sha256Of(certificate);
        var hints = new List<ConnectionCheckHint>();
        if (!string.IsNullOrEmpty(pinnedSha256))
            hints.Add(Hint(CertificatePinMismatch, ("pinned", pinnedSha256), ("fingerprint", fingerprint)));
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            hints.Add(Hint(CertificateNameMismatch, ("host", host), ("names", string.Join(", ", NamesOf(certificate))), ("fingerprint", fingerprint)));
        if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime)
            hints.Add(Hint(CertificateExpired, ("notAfter", Timestamp(certificate.NotAfter)), ("fingerprint", fingerprint)));
        else if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
            hints.Add(Hint(CertificateNotYetValid, ("notBefore", Timestamp(certificate.NotBefore)), ("fingerprint", fingerprint)));
        var chainProblems = chainStatus & ~(X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested);
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && chainProblems != X509ChainStatusFlags.NoError || hints.Count == 0)
            hints.Add(Hint(CertificateUntrusted, ("fingerprint", fingerprint), ("issuer", certificate.Issuer)));
        return hints;
    }

    /// <summary>The DNS names and IP addresses a certificate is for (its SAN, or else its CN).</summary>
    public static IReadOnlyList<string> NamesOf(X509Certificate2 certificate)
    {
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (san is not null)
            return [.. san.EnumerateDnsNames(), .. san.EnumerateIPAddresses().Select(address => address.ToString())];
        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return string.IsNullOrEmpty(commonName) ? [] : [commonName];
    }

    /// <summary>"2026-05-01 12:00 UTC".</summary>
    public static string Timestamp(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static bool HostIs(string host, params string[] namesOrDomains)
    {
        var name = host.Trim().TrimEnd('.').ToLowerInvariant();
        return namesOrDomains.Any(candidate => name == candidate || name.EndsWith("." + candidate, StringComparison.Ordinal));
    }
}
