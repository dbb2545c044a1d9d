using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Mailroom.Testing;

/// <summary>
/// The private Postfix + Dovecot mail server of <c>testbed/mailserver.sh</c>, started once per test
/// process on free loopback ports in a fresh directory under /tmp, and stopped (by PID) and deleted
/// when the process exits. Use it from tests marked <see cref="MailTestbedFactAttribute"/> or
/// <see cref="MailTestbedTheoryAttribute"/>.
/// </summary>
public sealed class MailTestbed
{
    /// <summary>EHLO name for SMTP clients: without it MailKit looks up the host's FQDN, which can
    /// take seconds on machines without DNS (TESTBED pitfall 11).</summary>
    public const string ClientLocalDomain = "localhost";

    /// <summary>What to do when the test bed cannot run here.</summary>
    public const string NotInstalledMessage = "Postfix/Dovecot not installed: run ./test.sh, which installs them";

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private const int MaxStartAttempts = 2;

    private static readonly Lazy<MailTestbed> LazyInstance = new(StartOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _script;

    private MailTestbed(string script, string directory, IReadOnlyDictionary<string, string> env)
    {
        _script = script;
        Directory = directory;
        Host = Get(env, "MAILTB_HOST");
        PlainPort = int.Parse(Get(env, "MAILTB_SMTP_PLAIN_PORT"));
        SmtpsPort = int.Parse(Get(env, "MAILTB_SMTPS_PORT"));
        SubmissionPort = int.Parse(Get(env, "MAILTB_SUBMISSION_PORT"));
        ImapPort = int.Parse(Get(env, "MAILTB_IMAP_PORT"));
        ImapsPort = int.Parse(Get(env, "MAILTB_IMAPS_PORT"));
        Domain = Get(env, "MAILTB_DOMAIN");
        UserName = Get(env, "MAILTB_USER");
        CatchallUserName = Get(env, "MAILTB_CATCHALL_USER");
        BouncesUserName = Get(env, "MAILTB_BOUNCES_USER");
        Password = Get(env, "MAILTB_PASS");
        CertificateSha256 = Get(env, "MAILTB_CERT_SHA256");
        CaCertificatePath = Get(env, "MAILTB_CA_CERT");
        MailDirectory = Get(env, "MAILTB_MAILDIR_ROOT");
        StandardPortsAddress = Get(env, "MAILTB_STANDARD_PORTS_ADDR");
        OAuth2 = new OAuth2Testbed(Get(env, "MAILTB_OAUTH2_ISSUER"), Get(env, "MAILTB_OAUTH2_CLIENT_ID"), Get(env, "MAILTB_OAUTH2_CLIENT_SECRET"),
            Path.Combine(directory, "log", "oauth2.log"));
    }

    /// <summary>
    /// The local OAuth2/OIDC server (testbed/oidc/server.js, npm oidc-provider) started before Dovecot, whose RFC 7662
    /// introspection decides which XOAUTH2/OAUTHBEARER tokens the SMTP ports accept.
    /// </summary>
    public OAuth2Testbed OAuth2 { get; }

    /// <summary>The running test bed; the first call starts it (a few seconds).</summary>
    /// <exception cref="InvalidOperationException">It is not installed or failed to start.</exception>
    public static MailTestbed Instance => LazyInstance.Value;

    /// <summary>True when the environment variable CI is "true": then a missing test bed fails tests.</summary>
    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the test bed cannot run on this machine, or null when it can.</summary>
    public static string? UnavailableReason { get; } = FindUnavailableReason();

    /// <summary>The skip reason for test bed tests: set when unavailable and not on CI.</summary>
    public static string? SkipReason =>
        UnavailableReason is { } reason && !IsCi ? $"SKIPPED, MAIL TEST BED UNAVAILABLE: {reason}" : null;

    public string Host { get; }

    /// <summary>
    /// A private loopback address (127.x.y.z) where the bed listens on the real ports: 25 (STARTTLS
    /// offered, AUTH optional), 465 (implicit TLS, AUTH required) and 587 (STARTTLS required, then
    /// AUTH) — for the rules that depend on the port number, such as Automatic encryption.
    /// The certificate does not name it: pin <see cref="CertificateSha256"/>.
    /// </summary>
    public string StandardPortsAddress { get; }
    /// <summary>SMTP without TLS; AUTH offered but optional.</summary>
    public int PlainPort { get; }
    /// <summary>SMTP with implicit TLS (like 465); AUTH required.</summary>
    public int SmtpsPort { get; }
    /// <summary>SMTP submission (like 587): STARTTLS required, AUTH only after it and required.</summary>
    public int SubmissionPort { get; }
    /// <summary>IMAP, STARTTLS offered.</summary>
    public int ImapPort { get; }
    /// <summary>IMAP with implicit TLS.</summary>
    public int ImapsPort { get; }
    public string Domain { get; }
    /// <summary>The submitting account (testuser@domain).</summary>
    public string UserName { get; }
    /// <summary>Gets a copy of every accepted message (always_bcc).</summary>
    public string CatchallUserName { get; }
    /// <summary>Use as envelope sender to receive the DSNs for bounce.test recipients.</summary>
    public string BouncesUserName { get; }
    public string Password { get; }
    /// <summary>Hex SHA-256 of the server certificate (DER), for pinning.</summary>
    public string CertificateSha256 { get; }
    /// <summary>The self-signed server certificate (PEM), usable as a CA file.</summary>
    public string CaCertificatePath { get; }
    /// <summary>Maildirs: MailDirectory/&lt;domain&gt;/&lt;local part&gt;/{new,cur,tmp}.</summary>
    public string MailDirectory { get; }
    /// <summary>The private directory holding configs, logs and mail.</summary>
    public string Directory { get; }
    public string LogDirectory => Path.Combine(Directory, "log");

    /// <summary>Accepts exactly the test bed's certificate (pinned by SHA-256), whatever the chain says.</summary>
    public bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        MatchesPin(certificate, CertificateSha256);

    /// <summary>True when the DER SHA-256 of <paramref name="certificate"/> equals <paramref name="sha256Hex"/>.</summary>
    public static bool MatchesPin(X509Certificate? certificate, string sha256Hex) =>
        certificate is not null &&
        string.Equals(Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())), sha256Hex, StringComparison.OrdinalIgnoreCase);

    /// <summary>An SMTP client that trusts the pinned certificate and says EHLO localhost.</summary>
    public SmtpClient CreateSmtpClient() => new()
    {
        LocalDomain = ClientLocalDomain,
        ServerCertificateValidationCallback = ValidateServerCertificate,
        Timeout = 15_000,
    };

    /// <summary>An IMAP client that trusts the pinned certificate.</summary>
    public ImapClient CreateImapClient() => new()
    {
        ServerCertificateValidationCallback = ValidateServerCertificate,
        Timeout = 15_000,
    };

    /// <summary>
    /// Logs in over IMAPS as <paramref name="mailbox"/> (a test bed user, password <see cref="Password"/>)
    /// and polls its INBOX until at least <paramref name="minimumCount"/> messages satisfy
    /// <paramref name="match"/>; returns them.
    /// </summary>
    /// <exception cref="TimeoutException">Not enough matching messages arrived within <paramref name="timeout"/>.</exception>
    public async Task<IReadOnlyList<MimeMessage>> WaitForMessagesAsync(
        string mailbox, Func<MimeMessage, bool> match, TimeSpan timeout, int minimumCount = 1,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        using var imap = CreateImapClient();
        await imap.ConnectAsync(Host, ImapsPort, SecureSocketOptions.SslOnConnect, cancellationToken);
        await imap.AuthenticateAsync(mailbox, Password, cancellationToken);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);

        var looked = new HashSet<UniqueId>();
        var matches = new List<MimeMessage>();
        while (true)
        {
            foreach (var uid in await imap.Inbox.SearchAsync(SearchQuery.All, cancellationToken))
            {
                if (!looked.Add(uid))
                {
                    continue;
                }
                var message = await imap.Inbox.GetMessageAsync(uid, cancellationToken);
                if (match(message))
                {
                    matches.Add(message);
                }
            }
            if (matches.Count >= minimumCount)
            {
                await imap.DisconnectAsync(true, cancellationToken);
                return matches;
            }
            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException(
                    $"{matches.Count} of {minimumCount} expected message(s) in {mailbox} after {timeout.TotalSeconds:0.#} s " +
                    $"({looked.Count} message(s) looked at). Logs: {LogDirectory}");
            }
            await Task.Delay(PollInterval, cancellationToken);
            await imap.NoOpAsync(cancellationToken); // lets Dovecot report newly delivered mail
        }
    }

    private static string? FindUnavailableReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return $"{NotInstalledMessage} (the mail test bed runs on Debian/Linux only)";
        }
        string[] required = ["/usr/sbin/postfix", "/usr/sbin/dovecot", "/usr/lib/dovecot/dovecot-lda", "/usr/bin/openssl"];
        var missing = required.Where(path => !File.Exists(path)).ToList();
        if (missing.Count > 0)
        {
            return $"{NotInstalledMessage} (missing: {string.Join(", ", missing)})";
        }
        if (!Environment.IsPrivilegedProcess)
        {
            return "the mail test bed must run as root (Postfix/Dovecot masters drop privileges themselves)";
        }
        return null;
    }

    private static MailTestbed StartOnce()
    {
        if (UnavailableReason is { } reason)
        {
            throw new InvalidOperationException(
                $"MAIL TEST BED UNAVAILABLE{(IsCi ? " and CI=true, so this FAILS instead of skipping" : "")}: {reason}");
        }
        var script = Path.Combine(FindRepositoryRoot(), "testbed", "mailserver.sh");
        var failures = new List<Exception>();
        // A second attempt with new ports covers the rare case of another process taking a port
        // between our probe and Postfix/Dovecot binding it.
        for (var attempt = 1; attempt <= MaxStartAttempts; attempt++)
        {
            var directory = CreatePrivateDirectory();
            try
            {
                var testbed = Start(script, directory);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => testbed.Shutdown();
                return testbed;
            }
            catch (Exception e)
            {
                failures.Add(e);
                TryRunScript(script, directory, "clean");
            }
        }
        throw new InvalidOperationException(
            $"MAIL TEST BED FAILED TO START ({MaxStartAttempts} attempts), see inner exceptions", new AggregateException(failures));
    }

    private static MailTestbed Start(string script, string directory)
    {
        var ports = LoopbackPorts.Free(5);
        var output = RunScript(script, "start", new Dictionary<string, string>
        {
            ["MAILTB_DIR"] = directory,
            ["MAILTB_SMTP_PLAIN_PORT"] = ports[0].ToString(),
            ["MAILTB_SMTPS_PORT"] = ports[1].ToString(),
            ["MAILTB_SUBMISSION_PORT"] = ports[2].ToString(),
            ["MAILTB_IMAP_PORT"] = ports[3].ToString(),
            ["MAILTB_IMAPS_PORT"] = ports[4].ToString(),
            // a private loopback address for the real ports 25, 465 and 587
            ["MAILTB_STANDARD_PORTS_ADDR"] = $"127.{Random.Shared.Next(16, 250)}.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(1, 255)}",
            // the script's watchdog cleans up if this process dies without running ProcessExit
            ["MAILTB_OWNER_PID"] = Environment.ProcessId.ToString(),
            // the local OAuth2 server, and XOAUTH2/OAUTHBEARER checked against it
            ["MAILTB_OAUTH2_SERVER"] = "yes",
        });
        var envFile = output.Trim();
        if (!File.Exists(envFile))
        {
            throw new InvalidOperationException($"mailserver.sh start printed '{envFile}', not the path of env.sh");
        }
        return new MailTestbed(script, directory, ParseEnvFile(envFile));
    }

    private void Shutdown() => CleanUpAtExit(_script, "MAILTB_DIR", Directory);

    /// <summary>Runs <c><paramref name="script"/> clean</c> for <paramref name="directory"/> from a ProcessExit handler.</summary>
    internal static void CleanUpAtExit(string script, string directoryVariable, string directory)
    {
        // vstest kills the test host about 100 ms into ProcessExit, so the cleanup (stop by PID,
        // then delete the directory) runs in a child process, which survives that. Its output goes
        // to /dev/null so it cannot die of SIGPIPE when our pipes close. We wait while we may.
        var startInfo = new ProcessStartInfo("bash") { UseShellExecute = false };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add("exec \"$0\" clean </dev/null >/dev/null 2>&1");
        startInfo.ArgumentList.Add(script);
        startInfo.Environment[directoryVariable] = directory;
        using var cleanup = Process.Start(startInfo);
        cleanup?.WaitForExit(ScriptTimeout);
    }

    internal static string RunScript(string script, string command, IReadOnlyDictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(script);
        startInfo.ArgumentList.Add(command);
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"could not start bash {script}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ScriptTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(script)} {command} did not finish within {ScriptTimeout.TotalSeconds} s");
        }
        process.WaitForExit(); // drains the redirected streams
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(script)} {command} exited with {process.ExitCode}:\n{stderr.Result}\n{stdout.Result}");
        }
        return stdout.Result;
    }

    internal static void TryRunScript(string script, string directory, string command, string directoryVariable = "MAILTB_DIR")
    {
        try
        {
            RunScript(script, command, new Dictionary<string, string> { [directoryVariable] = directory });
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            Console.Error.WriteLine($"Test bed: {Path.GetFileName(script)} {command} failed: {e.Message}");
        }
    }

    internal static string CreatePrivateDirectory()
    {
        // Under /tmp (not $TMPDIR): the postfix, dovecot and nobody users must be able to reach it.
        while (true)
        {
            var path = Path.Combine("/tmp", "mailroom-testbed." + Path.GetRandomFileName().Replace(".", ""));
            if (!System.IO.Directory.Exists(path))
            {
                System.IO.Directory.CreateDirectory(path);
                return path;
            }
        }
    }

    /// <summary>The checkout's root folder (the one holding Mailroom.slnx).</summary>
    public static string FindRepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Mailroom.slnx")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException($"Mailroom.slnx not found above {AppContext.BaseDirectory}");
    }

    internal static Dictionary<string, string> ParseEnvFile(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rawLine in File.ReadAllLines(path))
        {
            var line = rawLine.Trim();
            if (!line.StartsWith("export ", StringComparison.Ordinal))
            {
                continue;
            }
            var assignment = line["export ".Length..];
            var equals = assignment.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }
            values[assignment[..equals]] = assignment[(equals + 1)..].Trim('\'', '"');
        }
        return values;
    }

    private static string Get(IReadOnlyDictionary<string, string> env, string name) =>
        env.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new InvalidOperationException($"env.sh of the mail test bed has no {name}");
}
