using System.Net;
using System.Net.Sockets;

namespace Mailroom.Testing;

/// <summary>Ports on 127.0.0.1 for servers the tests, the bench and the soak run start.</summary>
public static class LoopbackPorts
{
    /// <summary>A port the OS just handed out on 127.0.0.1 (free at that moment; nothing holds it afterwards).</summary>
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}
