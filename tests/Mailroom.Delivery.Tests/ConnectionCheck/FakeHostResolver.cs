using System.Net;
using System.Net.Sockets;
using Mailroom.Core.Delivery.ConnectionCheck;

namespace Mailroom.Delivery.Tests.ConnectionCheck;

/// <summary>Resolves IP literals and the given names; every other name does not exist (like NXDOMAIN).</summary>
internal sealed class FakeHostResolver(params string[] namesOnLoopback) : IHostResolver
{
    public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal)) return Task.FromResult<IReadOnlyList<IPAddress>>([literal]);
        if (namesOnLoopback.Contains(host, StringComparer.OrdinalIgnoreCase)) return Task.FromResult<IReadOnlyList<IPAddress>>([IPAddress.Loopback]);
        throw new SocketException((int)SocketError.HostNotFound);
    }
}
