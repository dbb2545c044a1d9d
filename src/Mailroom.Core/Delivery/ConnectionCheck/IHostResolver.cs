using System.Net;

namespace Mailroom.Core.Delivery.ConnectionCheck;

/// <summary>Turns a server name into addresses (injectable so tests can point names at loopback).</summary>
public interface IHostResolver
{
    /// <summary>The addresses of <paramref name="host"/>; an IP literal resolves to itself.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The name does not exist (<c>HostNotFound</c>) or DNS failed.</exception>
    Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The operating system's resolver.</summary>
public sealed class SystemHostResolver : IHostResolver
{
    /// <summary>The one instance.</summary>
    public static SystemHostResolver Instance { get; } = new();

    /// <inheritdoc />
    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
        await Dns.GetHostAddressesAsync(host, cancellationToken);
}
