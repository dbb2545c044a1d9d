using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Mailroom.Core.Bounces;
using Mailroom.Core.Delivery;
using Mailroom.Core.Settings;
using Mailroom.Core.Storage;
using Microsoft.Extensions.Options;

namespace Mailroom.Hosting;

/// <summary>The <c>Mailroom:Bounces</c> section: the bounce domain (VERP) and the bounce mailbox.</summary>
public sealed class BounceOptions
{
    /// <summary>The domain bounces come back to; with it, mail through the deployment's relay gets a VERP envelope sender.</summary>
    public string? Domain { get; set; }

    /// <summary>The local part of the VERP address before <c>+&lt;message id&gt;</c>.</summary>
    public string LocalPart { get; set; } = "bounces";

    /// <summary>The mailbox those bounces land in, read over IMAP.</summary>
    public BounceMailboxOptions Imap { get; set; } = new();

    /// <summary>The VERP part as Core uses it (the domain as it goes on the wire: <see cref="BounceAddressOptions.WireDomain"/>).</summary>
    public BounceAddressOptions ToAddressOptions() => new() { Domain = BounceAddressOptions.WireDomain(Domain), LocalPart = LocalPart };
}

/// <summary>The <c>Mailroom:Bounces:Imap</c> section.</summary>
public sealed class BounceMailboxOptions
{
    /// <summary>IMAP host; the poller runs only when it is set.</summary>
    public string? Host { get; set; }

    /// <summary>993 (implicit TLS) by default.</summary>
    public int Port { get; set; } = 993;

    /// <summary>auto: implicit TLS on 993, otherwise STARTTLS when offered; sslTls; startTls; none.</summary>
    public EncryptionMode Encryption { get; set; } = EncryptionMode.Auto;

    public string? Login { get; set; }

    /// <summary>From configuration (environment or a secrets store); never logged.</summary>
    public string? Password { get; set; }

    /// <summary>Optional SHA-256 fingerprint (hex) pinning the server's certificate.</summary>
    public string? CertificateSha256 { get; set; }

    /// <summary>The folder bounces arrive in.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>How often to look for new mail when the server offers no IDLE, and the first wait after an error.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between attempts while the mailbox keeps failing (the wait doubles from <see cref="PollInterval"/> up to this).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>IDLE is ended and started again after this long (servers drop IDLE after 30 minutes; RFC 2177 suggests re-issuing within 29).</summary>
    public TimeSpan IdleRestart { get; set; } = TimeSpan.FromMinutes(9);

    /// <summary>IMAP command timeout.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>True when a mailbox is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>What the bounce mailbox poller last saw; <c>/api/health/ready</c> reports it.</summary>
/// <param name="Status">notStarted, ok (connected and reading) or unreachable (the last attempt failed).</param>
/// <param name="ConsecutiveFailures">Failed attempts since the last successful connection.</param>
/// <param name="LastError">Why the last attempt failed: the exception's type (and socket error code); the full text goes to the log only.</param>
/// <param name="LastConnected">When the mailbox was last opened.</param>
/// <param name="LastFailure">When an attempt last failed.</param>
/// <param name="RetryDelay">The wait before the next attempt after a failure.</param>
public sealed record BounceMailboxHealth(
    string Status, int ConsecutiveFailures, string? LastError, DateTimeOffset? LastConnected, DateTimeOffset? LastFailure, TimeSpan? RetryDelay);

/// <summary>The poller's latest <see cref="BounceMailboxHealth"/>, shared with the health endpoint.</summary>
public sealed class BounceMailboxStatus
{
    private volatile BounceMailboxHealth current = new("notStarted", 0, null, null, null, null);

    /// <summary>The latest state.</summary>
    public BounceMailboxHealth Current => current;

    /// <summary>The mailbox was opened: failures are forgotten.</summary>
    public void Connected(DateTimeOffset now) => current = current with { Status = "ok", ConsecutiveFailures = 0, LastConnected = now, RetryDelay = null };

    /// <summary>An attempt failed; returns the number of failures in a row.</summary>
    public int Failed(DateTimeOffset now, string error, Func<int, TimeSpan> retryDelay)
    {
        var failures = current.ConsecutiveFailures + 1;
        current = current with { Status = "unreachable", ConsecutiveFailures = failures, LastError = error, LastFailure = now, RetryDelay = retryDelay(failures) };
        return failures;
    }
}

/// <summary>
/// Reads the bounce mailbox over IMAP on one node of the cluster at a time (the
/// <see cref="IClusterLock"/> "bounce-mailbox"): every message without the
/// <see cref="ProcessedKeyword"/> keyword goes through <see cref="BounceIntake"/> and then gets
/// the keyword (and \Seen), so it is taken once. Waits with IDLE where the server offers it,
/// polls otherwise. When the mailbox cannot be reached it logs why, records it in
/// <see cref="BounceMailboxStatus"/> and tries again after <see cref="RetryDelay"/>.
/// </summary>
public sealed class BounceMailboxPoller(
    BounceIntake intake, IClusterLock clusterLock, IOptions<BounceOptions> options, BounceMailboxStatus status, TimeProvider clock,
    ILogger<BounceMailboxPoller> log) : BackgroundService
{
    /// <summary>The IMAP keyword that marks mail Mailroom has processed.</summary>
    public const string ProcessedKeyword = "$MailroomProcessed";

    /// <summary>The cluster lock's name.</summary>
    public const string LockName = "bounce-mailbox";

    /// <summary>The wait after <paramref name="failures"/> failures in a row: PollInterval, doubling, at most MaxRetryDelay.</summary>
    public static TimeSpan RetryDelay(BounceMailboxOptions o, int failures)
    {
        var max = o.MaxRetryDelay > o.PollInterval ? o.MaxRetryDelay : o.PollInterval;
        var factor = Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return o.PollInterval * factor < max ? o.PollInterval * factor : max;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value.Imap;
        log.LogInformation("Bounce mailbox poller started for {Host}:{Port}/{Folder}", o.Host, o.Port, o.Folder);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var holding = await clusterLock.TryAcquireAsync(LockName, stoppingToken);
                if (holding is not null) await RunSessionAsync(o, stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                var kind = error is System.Net.Sockets.SocketException socket ? $"SocketException: {socket.SocketErrorCode}" : error.GetType().Name;
                var failures = status.Failed(clock.GetUtcNow(), kind, n => RetryDelay(o, n));
                var delay = RetryDelay(o, failures);
                log.LogWarning("Reading the bounce mailbox {Host}:{Port} failed ({Failures} in a row): {Kind} ({Error}); trying again in {Delay}",
                    o.Host, o.Port, failures, kind, error.Message, delay);
                await Task.Delay(delay, clock, stoppingToken);
                continue;
            }
            await Task.Delay(o.PollInterval, clock, stoppingToken);
        }
    }

    private async Task RunSessionAsync(BounceMailboxOptions o, CancellationToken stoppingToken)
    {
        using var client = new ImapClient { Timeout = (int)o.Timeout.TotalMilliseconds, CheckCertificateRevocation = false };
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) => SmtpConnector.IsTrusted(certificate, errors, o.CertificateSha256);
        var socketOptions = o.Encryption switch
        {
            EncryptionMode.None => SecureSocketOptions.None,
            EncryptionMode.SslTls => SecureSocketOptions.SslOnConnect,
            EncryptionMode.StartTls => SecureSocketOptions.StartTls,
            _ => o.Port == 993 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable,
        };
        await client.ConnectAsync(o.Host!, o.Port, socketOptions, stoppingToken);
        if (!client.IsSecure && o.Encryption != EncryptionMode.None)
            throw new InvalidOperationException("The IMAP connection is not encrypted; set Mailroom:Bounces:Imap:Encryption to none to allow a password over it.");
        await client.AuthenticateAsync(o.Login ?? "", o.Password ?? "", stoppingToken);
        var folder = await client.GetFolderAsync(o.Folder, stoppingToken);
        await folder.OpenAsync(FolderAccess.ReadWrite, stoppingToken);
        status.Connected(clock.GetUtcNow());
        log.LogInformation("Bounce mailbox {Host}:{Port}/{Folder} opened", o.Host, o.Port, o.Folder);
        // The server may announce new mail (EXISTS) in its answer to any command, not only during IDLE:
        // while this pass searches, fetches or flags. Listened to for the whole session, so mail announced
        // then is read at once instead of after IdleRestart (the server does not announce it again in IDLE).
        var announced = 0;
        CancellationTokenSource? idling = null;
        void Arrived(object? sender, EventArgs e)
        {
            Volatile.Write(ref announced, 1);
            idling?.Cancel();
        }
        folder.CountChanged += Arrived;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Volatile.Write(ref announced, 0); // what the search below cannot see is announced after this
                if (await ProcessNewAsync(folder, stoppingToken))
                {
                    // A report waits for its message's delivery to be recorded: read again after PollInterval, not after the next IDLE.
                    await Task.Delay(o.PollInterval, clock, stoppingToken);
                    continue;
                }
                if (Volatile.Read(ref announced) == 1) continue; // announced during this pass
                if (client.Capabilities.HasFlag(ImapCapabilities.Idle))
                {
                    // Events come only while a command of this client reads the server's answers, so nothing is
                    // announced between the check above and the start of IDLE.
                    using var done = new CancellationTokenSource(o.IdleRestart);
                    idling = done;
                    try
                    {
                        await client.IdleAsync(done.Token, stoppingToken);
                    }
                    finally
                    {
                        idling = null;
                    }
                }
                else
                {
                    await Task.Delay(o.PollInterval, clock, stoppingToken);
                    await client.NoOpAsync(stoppingToken);
                }
            }
        }
        finally
        {
            folder.CountChanged -= Arrived;
        }
        await client.DisconnectAsync(true, CancellationToken.None);
    }

    // True when a mail was left unprocessed to be read again (its message is still being sent).
    private async Task<bool> ProcessNewAsync(IMailFolder folder, CancellationToken cancellationToken)
    {
        var waiting = false;
        var uids = await folder.SearchAsync(SearchQuery.Not(SearchQuery.HasKeyword(ProcessedKeyword)), cancellationToken);
        foreach (var uid in uids)
        {
            using var raw = new MemoryStream();
            using (var stream = await folder.GetStreamAsync(uid, cancellationToken))
                await stream.CopyToAsync(raw, cancellationToken);
            var mail = await intake.ProcessAsync($"{folder.FullName}/{folder.UidValidity}/{uid.Id}", raw.ToArray(), cancellationToken);
            log.LogInformation("Bounce mailbox: {Kind} {Id} about message {MessageId}: {Detail}", mail.Kind, mail.Id, mail.MessageId ?? "(none)", mail.Detail);
            if (mail.ProcessedAt is null)
            {
                waiting = true;
                continue;
            }
            // Marked only after its effects are stored: a crash before this line takes it again, and the intake knows it.
            await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Keywords = { ProcessedKeyword }, Silent = true }, cancellationToken);
        }
        return waiting;
    }
}
