using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Mailroom.Delivery.Tests.ConnectionCheck;

/// <summary>
/// A few lines of SMTP on 127.0.0.1 for what the test bed cannot do: stay silent, send garbage,
/// offer AUTH without encryption, serve an expired certificate. Serves one connection and
/// records every command line it received.
/// </summary>
internal sealed class ScriptedSmtpListener : IAsyncDisposable
{
    private const int MaxCommands = 50;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    /// <param name="capabilities">EHLO keywords after the first line, e.g. "AUTH PLAIN".</param>
    /// <param name="greeting">Bytes sent first instead of "220 …\r\n"; empty = stay silent.</param>
    /// <param name="implicitTlsCertificate">When set, TLS from the first byte with this certificate.</param>
    public ScriptedSmtpListener(string[] capabilities, byte[]? greeting = null, X509Certificate2? implicitTlsCertificate = null)
    {
        _listener.Start();
        _serving = ServeOneAsync(capabilities, greeting ?? "220 scripted.test ESMTP\r\n"u8.ToArray(), implicitTlsCertificate);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every command line received, in order (AUTH lines included — the test server has no secrets to keep).</summary>
    public ConcurrentQueue<string> Commands { get; } = new();

    public IEnumerable<string> Verbs => Commands.Select(line => line.Split(' ')[0].ToUpperInvariant());

    private async Task ServeOneAsync(string[] capabilities, byte[] greeting, X509Certificate2? certificate)
    {
        try
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Stream stream = client.GetStream();
            if (certificate is not null)
            {
                var tls = new SslStream(stream);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, _stop.Token);
                stream = tls;
            }
            if (greeting.Length == 0)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }
            await stream.WriteAsync(greeting, _stop.Token);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            for (var i = 0; i < MaxCommands; i++)
            {
                var line = await reader.ReadLineAsync(_stop.Token);
                if (line is null) return;
                Commands.Enqueue(line);
                var verb = line.Split(' ')[0].ToUpperInvariant();
                var reply = verb switch
                {
                    "EHLO" => EhloReply(capabilities),
                    "AUTH" => "235 2.7.0 Authentication successful\r\n",
                    "QUIT" => "221 2.0.0 Bye\r\n",
                    _ => "502 5.5.2 Not implemented here\r\n",
                };
                await stream.WriteAsync(Encoding.ASCII.GetBytes(reply), _stop.Token);
                if (verb == "QUIT") return;
            }
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or SocketException or System.Security.Authentication.AuthenticationException)
        {
            // the client gave up or rejected the certificate: that is what some tests want
        }
    }

    private static string EhloReply(string[] capabilities)
    {
        string[] lines = ["scripted.test", .. capabilities];
        return string.Concat(lines.Select((text, index) => $"250{(index == lines.Length - 1 ? ' ' : '-')}{text}\r\n"));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }
}
