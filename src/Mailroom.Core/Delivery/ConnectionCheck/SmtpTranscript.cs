using System.Diagnostics;
using System.Text;
using MailKit;

namespace Mailroom.Core.Delivery.ConnectionCheck;

/// <summary>One command and the reply to it (the greeting has no command), with times since the check started.</summary>
internal sealed class SmtpExchange(string? verb, TimeSpan sentAt)
{
    /// <summary>EHLO, STARTTLS, QUIT, …; null for the greeting; "?" for lines that are not commands (SASL data).</summary>
    public string? Verb { get; } = verb;

    public TimeSpan SentAt { get; } = sentAt;

    public List<string> ReplyLines { get; } = [];

    /// <summary>When the last line of the reply arrived; null while it is incomplete.</summary>
    public TimeSpan? RepliedAt { get; set; }

    public int? ReplyCode =>
        RepliedAt is not null && ReplyLines.Count > 0 && ReplyLines[^1].Length >= 3 && int.TryParse(ReplyLines[^1][..3], out var code) ? code : null;

    /// <summary>"250 text" of the last line (continuation lines left out).</summary>
    public string ReplyText => ReplyLines.Count > 0 ? ReplyLines[^1] : "";
}

/// <summary>
/// Watches the SMTP session through MailKit's protocol logger to tell the steps apart inside
/// one <c>ConnectAsync</c> (greeting, EHLO, STARTTLS, EHLO again) and time them. Keeps command
/// verbs only — never arguments of AUTH or SASL lines — so no secret is ever held.
/// </summary>
internal sealed class SmtpTranscript(Stopwatch clock) : IProtocolLogger
{
    private static readonly HashSet<string> HarmlessVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "EHLO", "HELO", "STARTTLS", "QUIT", "NOOP", "RSET", "AUTH", "MAIL", "RCPT", "DATA", "BDAT",
    };

    private readonly List<SmtpExchange> _exchanges = [];
    private readonly StringBuilder _serverPending = new();
    private readonly StringBuilder _clientPending = new();

    public IReadOnlyList<SmtpExchange> Exchanges => _exchanges;

    /// <summary>Every verb the client sent, in order (what proves nothing was sent).</summary>
    public IEnumerable<string> ClientVerbs => _exchanges.Where(exchange => exchange.Verb is not null).Select(exchange => exchange.Verb!);

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    public SmtpExchange? Greeting => _exchanges.FirstOrDefault(exchange => exchange.Verb is null);

    /// <summary>The <paramref name="occurrence"/>-th (0-based) exchange with <paramref name="verb"/>.</summary>
    public SmtpExchange? Find(string verb, int occurrence = 0) =>
        _exchanges.Where(exchange => string.Equals(exchange.Verb, verb, StringComparison.OrdinalIgnoreCase)).Skip(occurrence).FirstOrDefault();

    public void LogConnect(Uri uri)
    {
    }

    public void LogClient(byte[] buffer, int offset, int count)
    {
        foreach (var line in CompleteLines(_clientPending, buffer, offset, count))
        {
            var verb = line.Split(' ', 2)[0].Trim();
            _exchanges.Add(new SmtpExchange(HarmlessVerbs.Contains(verb) ? verb.ToUpperInvariant() : "?", clock.Elapsed));
        }
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
        foreach (var line in CompleteLines(_serverPending, buffer, offset, count))
        {
            var exchange = _exchanges.LastOrDefault();
            if (exchange is null || exchange.RepliedAt is not null)
            {
                // a reply with no command waiting for it: the greeting (or an unsolicited line)
                exchange = new SmtpExchange(null, clock.Elapsed);
                _exchanges.Add(exchange);
            }
            exchange.ReplyLines.Add(line);
            var isLastLine = line.Length < 4 || line[3] != '-';
            if (isLastLine) exchange.RepliedAt = clock.Elapsed;
        }
    }

    public void Dispose()
    {
    }

    private static List<string> CompleteLines(StringBuilder pending, byte[] buffer, int offset, int count)
    {
        pending.Append(Encoding.UTF8.GetString(buffer, offset, count));
        var lines = new List<string>();
        var text = pending.ToString();
        var start = 0;
        for (var newline = text.IndexOf('\n', start); newline >= 0; newline = text.IndexOf('\n', start))
        {
            lines.Add(text[start..newline].TrimEnd('\r'));
            start = newline + 1;
        }
        pending.Clear().Append(text[start..]);
        return lines;
    }
}
