using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using Mailroom.Core.Settings;

namespace Mailroom.Core.Delivery;

/// <summary>Credentials would have crossed the network in clear text, and the profile did not choose "no encryption".</summary>
public sealed class PlaintextCredentialsRefusedException(string endpoint)
    : Exception($"{endpoint} did not offer an encrypted connection, so the password was not sent. Choose SSL/TLS or STARTTLS, or — only if you accept the risk — encryption None.");

/// <summary>Called with each server certificate the policy judged and its verdict.</summary>
/// <param name="certificate">What the server presented (may be null when it presented none).</param>
/// <param name="chain">The chain the platform built, valid only during the call.</param>
/// <param name="errors">What platform validation found.</param>
/// <param name="trusted">The verdict: platform-valid or matching the pinned fingerprint.</param>
public delegate void CertificateObserver(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, bool trusted);

/// <summary>
/// Opens SMTP sessions the one way Mailroom does it, for delivery and for the connection
/// check alike: the encryption the profile asks for (Automatic: implicit TLS on 465, otherwise
/// STARTTLS when offered), certificates validated or pinned by fingerprint — never "accept
/// all" — and a password sent only over an encrypted connection unless the profile said None.
/// </summary>
public static class SmtpConnector
{
    /// <summary>The EHLO name; fixed so a host without DNS does not stall on looking up its own name.</summary>
    public static string LocalDomain { get; } = "localhost";

    /// <summary>What MailKit should do for <paramref name="mode"/> on <paramref name="port"/>.</summary>
    public static SecureSocketOptions SocketOptionsFor(EncryptionMode mode, int port) => mode switch
    {
        EncryptionMode.None => SecureSocketOptions.None,
        EncryptionMode.SslTls => SecureSocketOptions.SslOnConnect,
        EncryptionMode.StartTls => SecureSocketOptions.StartTls,
        EncryptionMode.Auto => port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown encryption mode."),
    };

    /// <summary>A client set up for <paramref name="endpoint"/>: EHLO name, timeout and certificate policy.</summary>
    public static SmtpClient CreateClient(SmtpEndpoint endpoint, TimeSpan timeout, MailKit.IProtocolLogger? logger = null)
    {
        var client = logger is null ? new SmtpClient() : new SmtpClient(logger);
        Configure(client, endpoint, timeout);
        return client;
    }

    /// <summary>Applies EHLO name, timeout and the certificate policy of <paramref name="endpoint"/> to <paramref name="client"/>.</summary>
    public static void Configure(SmtpClient client, SmtpEndpoint endpoint, TimeSpan timeout) =>
        Configure(client, endpoint, timeout, observer: null);

    /// <summary>
    /// As <see cref="Configure(SmtpClient, SmtpEndpoint, TimeSpan)"/>, and tells
    /// <paramref name="observer"/> about every certificate the policy judged (the connection
    /// check shows what was presented and why it was or was not trusted).
    /// </summary>
    public static void Configure(SmtpClient client, SmtpEndpoint endpoint, TimeSpan timeout, CertificateObserver? observer)
    {
        client.LocalDomain = LocalDomain;
        client.Timeout = (int)timeout.TotalMilliseconds;
        client.CheckCertificateRevocation = false; // revocation lists are usually unreachable from servers; chain and name are checked
        client.ServerCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            var trusted = IsTrusted(certificate, errors, endpoint.CertificateSha256);
            observer?.Invoke(certificate, chain, errors, trusted);
            return trusted;
        };
    }

    /// <summary>
    /// Starts the SMTP session on <paramref name="connectedSocket"/> (already connected to
    /// <paramref name="endpoint"/>) with the encryption the profile asks for. The connection
    /// check opens the socket itself to time DNS and TCP apart; the session is the same.
    /// </summary>
    public static Task ConnectAsync(SmtpClient client, Socket connectedSocket, SmtpEndpoint endpoint, CancellationToken cancellationToken) =>
        client.ConnectAsync(connectedSocket, endpoint.Host, endpoint.Port, SocketOptionsFor(endpoint.Encryption, endpoint.Port), cancellationToken);

    /// <summary>
    /// Connects and, when the profile authenticates with a password, authenticates. The server's
    /// name is resolved by <paramref name="resolver"/> (the host's, injected).
    /// </summary>
    /// <exception cref="PlaintextCredentialsRefusedException">The connection is not encrypted and the profile did not choose None.</exception>
    /// <exception cref="SslHandshakeException">TLS failed or the certificate is not trusted.</exception>
    /// <exception cref="AuthenticationException">The server refused the credentials.</exception>
    /// <exception cref="BlockedAddressException">The endpoint is restricted to public addresses and the server resolves only to internal ones.</exception>
    public static async Task ConnectAndAuthenticateAsync(SmtpClient client, SmtpEndpoint endpoint, ConnectionCheck.IHostResolver resolver, CancellationToken cancellationToken)
    {
        // Resolved once (and, for a restricted endpoint, checked); the socket goes to a resolved address, with
        // Nagle's algorithm off: the message's last small write (".") must not wait for the server's delayed
        // ACK of the data before it (40 ms per message for anything larger than one segment, such as a PDF).
        var addresses = endpoint.PublicAddressesOnly
            ? await NetworkGuard.PublicAddressesOfAsync(resolver, endpoint.Host, endpoint.Port, cancellationToken)
            : await NetworkGuard.AddressesOfAsync(resolver, endpoint.Host, cancellationToken);
        var socket = await NetworkGuard.ConnectAsync(addresses, endpoint.Port, TimeSpan.FromMilliseconds(client.Timeout), cancellationToken);
        try
        {
            await ConnectAsync(client, socket, endpoint, cancellationToken);
        }
        catch
        {
            if (!client.IsConnected) socket.Dispose();
            throw;
        }
        await AuthenticateAsync(client, endpoint, cancellationToken);
    }

    /// <summary>Authenticates an open connection as <paramref name="endpoint"/> says (nothing for None).</summary>
    public static async Task AuthenticateAsync(SmtpClient client, SmtpEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (endpoint.Authentication == AuthenticationMethod.None) return;
        if (!client.IsSecure && endpoint.Encryption != EncryptionMode.None)
            throw new PlaintextCredentialsRefusedException(endpoint.ToString());
        if (endpoint.IsOAuth2)
        {
            // For OAuth2 the endpoint's password is the access token and its login the account the token belongs to.
            await client.AuthenticateAsync(OAuth2Mechanism(client.AuthenticationMechanisms, endpoint.Login ?? "", endpoint.Password ?? ""), cancellationToken);
            return;
        }
        await client.AuthenticateAsync(endpoint.Login ?? "", endpoint.Password ?? "", cancellationToken);
    }

    /// <summary>SASL XOAUTH2 (what Microsoft 365 and Gmail speak), or OAUTHBEARER (RFC 7628) when only that is offered.</summary>
    public static SaslMechanism OAuth2Mechanism(ICollection<string> offered, string account, string accessToken) =>
        offered.Contains("OAUTHBEARER") && !offered.Contains("XOAUTH2")
            ? new SaslMechanismOAuthBearer(account, accessToken)
            : new SaslMechanismOAuth2(account, accessToken);

    /// <summary>Trusted when the platform validates chain and name, or the certificate's SHA-256 equals the pin.</summary>
    public static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, string? pinnedSha256)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (certificate is null || string.IsNullOrEmpty(pinnedSha256)) return false;
        return string.Equals(Sha256Of(certificate), pinnedSha256, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Lower-case hex SHA-256 of the certificate's DER bytes (what <c>certificateSha256</c> pins).</summary>
    public static string Sha256Of(X509Certificate certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.GetRawCertData()));
}
