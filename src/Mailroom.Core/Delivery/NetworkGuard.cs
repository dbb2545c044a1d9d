using System.Net;
using System.Net.Sockets;
using Mailroom.Core.Settings;

namespace Mailroom.Core.Delivery;

/// <summary>
/// A user-level profile named a server that resolves only to private, loopback, link-local or
/// otherwise internal addresses, and the deployment forbids that (SSRF protection).
/// </summary>
public sealed class BlockedAddressException(string endpoint, IReadOnlyList<IPAddress> addresses)
    : Exception($"{endpoint} resolves only to internal addresses ({string.Join(", ", addresses)}); this deployment does not let user profiles connect to private, loopback or link-local networks, so nothing was sent. Use the provider's public SMTP server, or ask the administrator (Mailroom:Security:BlockPrivateNetworksForUserProfiles).")
{
    /// <summary>The addresses the name resolved to, all of them refused.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; } = addresses;
}

/// <summary>
/// Decides which addresses a connection may go to (SSRF): when an endpoint is restricted to
/// public addresses, the server name is resolved once, every address is checked, and the socket
/// is connected to a checked address — so a DNS answer that changes between check and connect
/// (rebinding) cannot redirect it.
/// </summary>
public static class NetworkGuard
{
    /// <summary>
    /// <paramref name="endpoint"/> for <paramref name="sender"/>'s profile, restricted to public
    /// addresses when <paramref name="blockPrivateNetworks"/> is on and the server is user-level —
    /// the one place the SSRF rule is applied, for delivery (password and OAuth2) and the check alike.
    /// </summary>
    public static SmtpEndpoint Guard(SmtpEndpoint endpoint, EffectiveSenderSettings sender, bool blockPrivateNetworks) =>
        endpoint with { PublicAddressesOnly = blockPrivateNetworks && IsUserLevelServer(sender) };

    /// <summary>
    /// True when the settings' server came from a person's profile (their own, or the shared
    /// sender's) rather than the administrator's global profile — the profiles the SSRF rule is for.
    /// </summary>
    public static bool IsUserLevelServer(EffectiveSenderSettings settings) =>
        settings.Sources.TryGetValue(SenderField.Host, out var source) && source is SettingSource.User or SettingSource.SharedSender;

    /// <summary>True for addresses on the public internet; false for private, loopback, link-local, shared (CGNAT), multicast and reserved ones.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 // "this network"
                || b[0] == 10 // private
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) // shared address space (CGNAT)
                || b[0] == 127 // loopback
                || (b[0] == 169 && b[1] == 254) // link-local (cloud metadata lives here)
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) // private
                || (b[0] == 192 && b[1] == 0 && b[2] == 0) // IETF protocol assignments
                || (b[0] == 192 && b[1] == 168) // private
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19)) // benchmarking
                || b[0] >= 224); // multicast, reserved, broadcast
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any)) return false;
            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast) return false;
            var b = address.GetAddressBytes();
            if ((b[0] & 0xFE) == 0xFC) return false; // unique local fc00::/7
            if (address.IsIPv6Teredo || (b[0] == 0x20 && b[1] == 0x02)) return false; // tunnels can wrap internal IPv4 (2001::/32, 2002::/16)
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B) return false; // NAT64 64:ff9b::/96 wraps IPv4
            if (b[0] == 0x00) return false; // ::/8 (IPv4-compatible, NAT64 well-known prefixes start differently; reserved)
            return true;
        }
        return false;
    }

    /// <summary>
    /// The addresses of <paramref name="host"/> as <paramref name="resolver"/> (the host's, injected)
    /// names them, for an endpoint that may be internal (the administrator's relay).
    /// </summary>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    public static async Task<IReadOnlyList<IPAddress>> AddressesOfAsync(ConnectionCheck.IHostResolver resolver, string host, CancellationToken cancellationToken)
    {
        var all = await resolver.ResolveAsync(host, cancellationToken);
        return all.Count > 0 ? all : throw new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>
    /// The addresses of <paramref name="host"/> a restricted endpoint may connect to, as
    /// <paramref name="resolver"/> (the host's, injected) names them.
    /// </summary>
    /// <exception cref="BlockedAddressException">Every address is internal.</exception>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    public static async Task<IReadOnlyList<IPAddress>> PublicAddressesOfAsync(ConnectionCheck.IHostResolver resolver, string host, int port, CancellationToken cancellationToken)
    {
        var all = await AddressesOfAsync(resolver, host, cancellationToken);
        var allowed = all.Where(IsPublic).ToArray();
        if (allowed.Length == 0) throw new BlockedAddressException($"{host}:{port}", all);
        return allowed;
    }

    /// <summary>Opens a TCP connection to the first of <paramref name="addresses"/> that answers.</summary>
    /// <exception cref="SocketException">None answered (the last error).</exception>
    public static async Task<Socket> ConnectAsync(IReadOnlyList<IPAddress> addresses, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), limit.Token);
                return socket;
            }
            catch (SocketException error)
            {
                socket.Dispose();
                last = error;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                last = new SocketException((int)SocketError.TimedOut);
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}
