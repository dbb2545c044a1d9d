using System.Net;
using System.Net.Sockets;

namespace Mailroom.Testing;

/// <summary>Ports on 127.0.0.1 for servers the tests, the bench and the soak run start.</summary>
public static class LoopbackPorts
{
    /// <summary>A port the OS just handed out on 127.0.0.1 (free at that moment; nothing holds it afterwards).</summary>
    public static int Free() => Free(1)[0];

    /// <summary><paramref name="count"/> distinct ports the OS just handed out on 127.0.0.1 (all held at once while asking).</summary>
    public static int[] Free(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }
            return listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }
}
