using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mailroom.Testing;

/// <summary>
/// What <see cref="ScriptedSmtpServer"/> does wrong, on purpose. Change it between messages of one
/// test (the server reads it at each step); null or zero means "behave".
/// </summary>
public sealed class SmtpScript
{
    /// <summary>Answer the connection with this reply (e.g. <c>421 4.3.2 Try later</c>) and close it.</summary>
    public string? GreetingReply { get; set; }

    /// <summary>RCPT TO answers by address (case-insensitive), e.g. <c>["a@x.test"] = "550 5.1.1 No such user"</c>.</summary>
    public ConcurrentDictionary<string, string> RecipientReplies { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The answer after the final dot of DATA (e.g. <c>552 5.3.4 Message too big</c>).</summary>
    public string? DataFinalReply { get; set; }

    /// <summary>Close the connection after the first line of message data.</summary>
    public bool DropDuringData { get; set; }

    /// <summary>Wait this long before answering the final dot of DATA.</summary>
    public TimeSpan DataFinalReplyDelay { get; set; }

    /// <summary>Offer AUTH PLAIN and LOGIN (without TLS) and accept only these credentials.</summary>
    public (string Login, string Password)? Credentials { get; set; }

    /// <summary>Offer the DSN extension, so clients send ENVID.</summary>
    public bool OfferDsn { get; set; } = true;
}

/// <summary>A message the scripted server accepted.</summary>
/// <param name="Sender">MAIL FROM address.</param>
/// <param name="Recipients">Accepted RCPT TO addresses.</param>
/// <param name="MailFromLine">The whole MAIL FROM command (with ENVID and other parameters).</param>
/// <param name="Data">The message after dot-unstuffing, lines joined with CRLF.</param>
public sealed record ScriptedSmtpMessage(string Sender, IReadOnlyList<string> Recipients, string MailFromLine, string Data);

/// <summary>
/// A small SMTP server on 127.0.0.1 for fault injection: enough of RFC 5321 for MailKit (EHLO,
/// MAIL, RCPT, DATA, RSET, NOOP, QUIT, AUTH PLAIN/LOGIN without TLS), misbehaving as its
/// <see cref="Script"/> says. Counts connections and keeps what it accepted. Every loop ends when
/// the server is disposed.
/// </summary>
public sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private static readonly Encoding Latin1 = Encoding.Latin1; // one byte per char: data passes through unchanged

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentBag<Task> _sessions = [];
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly ConcurrentQueue<ScriptedSmtpMessage> _messages = new();
    private readonly Task _acceptLoop;
    private int _connectionCount;
    private int _open;
    private int _peakOpen;
    private int _disposed;

    /// <summary>Starts listening on a free loopback port.</summary>
    public ScriptedSmtpServer(SmtpScript? script = null) : this(script, 0)
    {
    }

    /// <summary>Starts listening on <paramref name="port"/> (0: a free one) — a fixed port lets a test stop it and start it again where clients expect it.</summary>
    public ScriptedSmtpServer(SmtpScript? script, int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        Script = script ?? new SmtpScript();
        _listener.Start();
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
    }

    /// <summary>The misbehaviour in force.</summary>
    public SmtpScript Script { get; }

    /// <summary>The port it listens on (host 127.0.0.1).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many TCP connections it has accepted.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>The most connections that were open at the same moment.</summary>
    public int PeakOpenConnections => Volatile.Read(ref _peakOpen);

    /// <summary>Messages accepted so far, in order.</summary>
    public IReadOnlyList<ScriptedSmtpMessage> Messages => _messages.ToArray();

    /// <summary>Closes every open connection abruptly (as a server does with idle clients) and keeps listening.</summary>
    public void DropAllConnections()
    {
        foreach (var client in _clients)
        {
            try
            {
                client.Client?.Close(0); // null once the session ended and disposed it
            }
            catch (ObjectDisposedException)
            {
                // already gone
            }
        }
    }

    /// <summary>Stops listening, closes every connection and waits for the sessions to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return; // a test may stop it mid-run and again at the end
        await _stopping.CancelAsync();
        _listener.Stop();
        foreach (var client in _clients)
            client.Dispose();
        var all = Task.WhenAll(_sessions.Append(_acceptLoop));
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5)));
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(stopping);
            }
            catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _connectionCount);
            _clients.Add(client);
            _sessions.Add(RunSessionAsync(client, stopping));
        }
    }

    private async Task RunSessionAsync(TcpClient client, CancellationToken stopping)
    {
        var open = Interlocked.Increment(ref _open);
        for (var peak = Volatile.Read(ref _peakOpen); open > peak; peak = Volatile.Read(ref _peakOpen))
            Interlocked.CompareExchange(ref _peakOpen, open, peak);
        try
        {
            using (client)
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Latin1, false, 1024, leaveOpen: true);
                await new Session(this, reader, stream).RunAsync(stopping);
            }
        }
        catch (Exception error) when (error is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away or the server is stopping: the session ends.
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private sealed class Session(ScriptedSmtpServer server, StreamReader reader, NetworkStream stream)
    {
        private readonly SmtpScript _script = server.Script;
        private string? _sender;
        private string _mailFromLine = "";
        private readonly List<string> _recipients = [];

        public async Task RunAsync(CancellationToken stopping)
        {
            if (_script.GreetingReply is { } greeting)
            {
                await ReplyAsync(greeting, stopping);
                return;
            }
            await ReplyAsync("220 scripted.test ESMTP ready", stopping);
            while (!stopping.IsCancellationRequested)
            {
                var line = await reader.ReadLineAsync(stopping);
                if (line is null) return;
                var verb = (line.Length >= 4 ? line[..4] : line).ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await ReplyAsync(EhloReply(), stopping);
                        break;
                    case "HELO":
                        await ReplyAsync("250 scripted.test", stopping);
                        break;
                    case "AUTH":
                        await AuthenticateAsync(line, stopping);
                        break;
                    case "MAIL":
                        _sender = AddressIn(line);
                        _mailFromLine = line;
                        _recipients.Clear();
                        await ReplyAsync("250 2.1.0 Ok", stopping);
                        break;
                    case "RCPT":
                        await RecipientAsync(AddressIn(line), stopping);
                        break;
                    case "DATA":
                        if (!await DataAsync(stopping)) return;
                        break;
                    case "RSET":
                        _sender = null;
                        _recipients.Clear();
                        await ReplyAsync("250 2.0.0 Ok", stopping);
                        break;
                    case "NOOP":
                        await ReplyAsync("250 2.0.0 Ok", stopping);
                        break;
                    case "QUIT":
                        await ReplyAsync("221 2.0.0 Bye", stopping);
                        return;
                    default:
                        await ReplyAsync("502 5.5.2 Command not recognised", stopping);
                        break;
                }
            }
        }

        private string EhloReply()
        {
            var lines = new List<string> { "scripted.test", "8BITMIME" };
            if (_script.OfferDsn) lines.Add("DSN");
            if (_script.Credentials is not null) lines.Add("AUTH PLAIN LOGIN");
            return string.Join("\r\n", lines.Select((text, index) => $"250{(index == lines.Count - 1 ? ' ' : '-')}{text}"));
        }

        private async Task RecipientAsync(string address, CancellationToken stopping)
        {
            if (_script.RecipientReplies.TryGetValue(address, out var scripted))
            {
                await ReplyAsync(scripted, stopping);
                if (scripted.StartsWith('2')) _recipients.Add(address);
                return;
            }
            _recipients.Add(address);
            await ReplyAsync("250 2.1.5 Ok", stopping);
        }

        // False when the connection was dropped on purpose.
        private async Task<bool> DataAsync(CancellationToken stopping)
        {
            if (_sender is null || _recipients.Count == 0)
            {
                await ReplyAsync("554 5.5.1 No valid recipients", stopping);
                return true;
            }
            await ReplyAsync("354 End data with <CR><LF>.<CR><LF>", stopping);
            var data = new StringBuilder();
            var lines = 0;
            while (true)
            {
                var line = await reader.ReadLineAsync(stopping);
                if (line is null) return false;
                if (_script.DropDuringData && ++lines == 1) return false; // the session ends and closes the socket
                if (line == ".") break;
                data.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
            }
            if (_script.DataFinalReplyDelay > TimeSpan.Zero)
                await Task.Delay(_script.DataFinalReplyDelay, stopping);
            var reply = _script.DataFinalReply ?? $"250 2.0.0 Ok: queued as M{server._messages.Count + 1}";
            if (reply.StartsWith('2'))
                server._messages.Enqueue(new ScriptedSmtpMessage(_sender, [.. _recipients], _mailFromLine, data.ToString()));
            _sender = null;
            _recipients.Clear();
            await ReplyAsync(reply, stopping);
            return true;
        }

        private async Task AuthenticateAsync(string line, CancellationToken stopping)
        {
            if (_script.Credentials is not { } expected)
            {
                await ReplyAsync("502 5.5.1 AUTH not offered", stopping);
                return;
            }
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string? login, password;
            switch (parts.Length > 1 ? parts[1].ToUpperInvariant() : "")
            {
                case "PLAIN":
                    var initial = parts.Length > 2 ? parts[2] : await ChallengeAsync("", stopping);
                    var fields = Decode(initial).Split('\0');
                    (login, password) = fields.Length == 3 ? (fields[1], fields[2]) : (null, null);
                    break;
                case "LOGIN":
                    login = Decode(parts.Length > 2 ? parts[2] : await ChallengeAsync("VXNlcm5hbWU6", stopping));
                    password = Decode(await ChallengeAsync("UGFzc3dvcmQ6", stopping));
                    break;
                default:
                    await ReplyAsync("504 5.5.4 Unrecognised authentication type", stopping);
                    return;
            }
            await ReplyAsync(login == expected.Login && password == expected.Password
                ? "235 2.7.0 Authentication successful"
                : "535 5.7.8 Authentication credentials invalid", stopping);
        }

        private async Task<string> ChallengeAsync(string challenge, CancellationToken stopping)
        {
            await ReplyAsync($"334 {challenge}", stopping);
            return await reader.ReadLineAsync(stopping) ?? "";
        }

        private static string Decode(string base64)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));
            }
            catch (FormatException)
            {
                return "";
            }
        }

        private static string AddressIn(string line)
        {
            var start = line.IndexOf('<');
            var end = line.IndexOf('>', start + 1);
            return start >= 0 && end > start ? line[(start + 1)..end] : "";
        }

        private async Task ReplyAsync(string reply, CancellationToken stopping)
        {
            var bytes = Latin1.GetBytes(reply + "\r\n");
            await stream.WriteAsync(bytes, stopping);
            await stream.FlushAsync(stopping);
        }
    }
}
