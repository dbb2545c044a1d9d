using System.Text.RegularExpressions;

namespace Mailroom.Testing;

/// <summary>
/// Postfix's <c>smtp-sink</c> on a free loopback port (testbed/smtp-sink.sh): accepts every
/// message and dumps each one to a file, so a test can prove what arrived. Stopped by PID and
/// its directory deleted on dispose. Needs the same as <see cref="MailTestbed"/> (root, postfix).
/// </summary>
public sealed partial class SmtpSink : IDisposable
{
    private readonly string _script;

    private SmtpSink(string script, string directory, int port)
    {
        _script = script;
        Directory = directory;
        Port = port;
    }

    /// <summary>The sink's private folder.</summary>
    public string Directory { get; }

    /// <summary>Where it listens on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Where each received message is dumped as one file.</summary>
    public string MailDirectory => Path.Combine(Directory, "mail");

    /// <summary>Starts a sink.</summary>
    /// <exception cref="InvalidOperationException">It could not start (e.g. postfix not installed).</exception>
    public static SmtpSink Start()
    {
        var script = Path.Combine(MailTestbed.FindRepositoryRoot(), "testbed", "smtp-sink.sh");
        var directory = MailTestbed.CreatePrivateDirectory();
        var port = LoopbackPorts.Free();
        MailTestbed.RunScript(script, "start", new Dictionary<string, string>
        {
            ["SINK_DIR"] = directory,
            ["SINK_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        return new SmtpSink(script, directory, port);
    }

    /// <summary>The Message-Id of every dumped message (one entry per arrival, so duplicates show).</summary>
    public IReadOnlyList<string> ReceivedMessageIds() =>
        System.IO.Directory.EnumerateFiles(MailDirectory)
            .Select(ReadMessageId)
            .Where(id => id is not null)
            .Select(id => id!)
            .ToArray();

    /// <summary>When each message arrived (its dump file's last write), oldest first.</summary>
    public IReadOnlyList<DateTime> ArrivalTimes() =>
        System.IO.Directory.EnumerateFiles(MailDirectory).Select(File.GetLastWriteTimeUtc).Order().ToArray();

    /// <summary>How many messages have arrived.</summary>
    public int ReceivedCount => System.IO.Directory.EnumerateFiles(MailDirectory).Count();

    private static string? ReadMessageId(string path)
    {
        // A dump still being written may lack the header for a moment; it is read again on the next poll.
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.Length == 0) break; // end of headers
                var match = MessageIdHeader().Match(line);
                if (match.Success) return match.Groups[1].Value;
            }
        }
        catch (IOException) { }
        return null;
    }

    public void Dispose() =>
        MailTestbed.TryRunScript(_script, Directory, "clean", "SINK_DIR");

    [GeneratedRegex(@"^Message-Id:\s*<([^>]+)>", RegexOptions.IgnoreCase)]
    private static partial Regex MessageIdHeader();
}
