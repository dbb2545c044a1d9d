using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mailroom.Server.Hosting;
using Mailroom.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;

namespace Mailroom.Server.Tests.Hardening;

/// <summary>
/// Delivery and submission under faults: the SMTP server going away and coming back mid-run,
/// another connection holding SQLite's write lock, the disk filling up while messages are submitted,
/// the bounce mailbox being unreachable. Each ends with every message accounted for and the server still serving.
/// </summary>
[Collection(BounceMailboxCollection.Name)]
public class FaultTests
{
    private static MailroomServerFactory Factory(Action<IWebHostBuilder>? more = null) => new(withBootstrapKey: true, configure: b =>
    {
        b.UseSetting("Mailroom:Delivery:PollInterval", "00:00:00.100");
        b.UseSetting("Mailroom:Delivery:SmtpTimeout", "00:00:05");
        b.UseSetting("Mailroom:Delivery:RetryDelays", "00:00:01");
        more?.Invoke(b);
    });

    private static Task<string> SubmitAsync(HttpClient client, int n) =>
        QueueDriving.PostMessageAsync(client, new { to = new[] { $"r{n}@example.test" }, subject = $"fault-{n}", text = "x" });

    private static async Task<int> CountAsync(HttpClient admin, string status) =>
        (int?)(await (await admin.GetAsync("/api/messages/stats")).ReadJsonAsync())[status] ?? 0;

    [Fact]
    public async Task SmtpServerRestartingMidRun_EveryMessageIsSentOnce_NoneLost()
    {
        var port = LoopbackPorts.Free();
        var servers = new List<ScriptedSmtpServer> { new(null, port) };
        try
        {
            using var factory = Factory();
            var admin = factory.Admin();
            await QueueDriving.ConfigureSinkAsSenderAsync(admin, port);
            var ids = new List<string>();
            for (var i = 0; i < 15; i++) ids.Add(await SubmitAsync(admin, i));
            await Polling.WaitUntilAsync(() => servers[0].Messages.Count, n => n >= 5, TimeSpan.FromSeconds(30));

            await servers[0].DisposeAsync(); // the server goes away mid-run…
            for (var i = 15; i < 30; i++) ids.Add(await SubmitAsync(admin, i));
            await Task.Delay(TimeSpan.FromSeconds(2)); // …attempts fail meanwhile (deferred)…
            servers.Add(new ScriptedSmtpServer(null, port)); // …and comes back on the same port.
            var sent = await Polling.WaitUntilAsync(() => CountAsync(admin, "sent"), n => n >= ids.Count, TimeSpan.FromSeconds(60));

            Assert.Equal(ids.Count, sent);
            var received = servers.SelectMany(s => s.Messages).Select(m => System.Text.RegularExpressions.Regex.Match(m.Data, @"Subject: (fault-\d+)").Groups[1].Value).ToArray();
            Assert.Equal(Enumerable.Range(0, 30).Select(i => $"fault-{i}").Order(), received.Distinct().Order());
            Assert.True(servers[1].Messages.Count > 0, "the restarted server received nothing: the restart was not mid-run");
        }
        finally
        {
            foreach (var server in servers) await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task SlowServer_LeasesOfMessagesBeingSentAndOfThoseWaitingForALane_AreKeptAlive_NothingIsSentTwice()
    {
        // Each DATA answer takes 2.5 s, the lease is 1 s (the shortest allowed) and one lane sends: the first message outlives its
        // lease while it is sent, the others while they wait for the lane. A lease that ran out would let the
        // worker's next claim take the message again and send it a second time.
        await using var slow = new ScriptedSmtpServer(new SmtpScript { DataFinalReplyDelay = TimeSpan.FromSeconds(2.5) });
        using var factory = Factory(b =>
        {
            b.UseSetting("Mailroom:Delivery:LeaseDuration", "00:00:01");
            b.UseSetting("Mailroom:Delivery:Concurrency", "1");
            b.UseSetting("Mailroom:Delivery:SmtpTimeout", "00:00:10");
        });
        var admin = factory.Admin();
        await QueueDriving.ConfigureSinkAsSenderAsync(admin, slow.Port);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add(await SubmitAsync(admin, i));

        var sent = await Polling.WaitUntilAsync(() => CountAsync(admin, "sent"), n => n >= ids.Count, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2)); // a second copy, if a lease had run out, would be under way by now

        Assert.Equal(ids.Count, sent);
        var subjects = slow.Messages.Select(m => System.Text.RegularExpressions.Regex.Match(m.Data, @"Subject: (fault-\d+)").Groups[1].Value).ToArray();
        Assert.Equal(["fault-0", "fault-1", "fault-2"], subjects.Order().ToArray());
        Assert.DoesNotContain(factory.LogLines, l => l.Contains("lease", StringComparison.OrdinalIgnoreCase) && l.Contains("lost", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AnotherConnectionHoldingTheWriteLock_SubmissionsWait_ThenEverythingIsDelivered()
    {
        await using var sink = new ScriptedSmtpServer();
        using var factory = Factory();
        var admin = factory.Admin();
        await QueueDriving.ConfigureSinkAsSenderAsync(admin, sink.Port);
        await SubmitAsync(admin, -1);

        var database = Path.Combine(factory.DataDirectory, "mailroom.db");
        await using (var locker = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            await locker.OpenAsync();
            await using (var begin = locker.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE;"; // the write lock, as another process writing would hold it
                await begin.ExecuteNonQueryAsync();
            }
            var submitting = Enumerable.Range(0, 10).Select(i => SubmitAsync(admin, i)).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.All(submitting, t => Assert.False(t.IsCompleted, "a submission finished while another connection held the write lock"));
            await using (var commit = locker.CreateCommand())
            {
                commit.CommandText = "COMMIT;";
                await commit.ExecuteNonQueryAsync();
            }
            await Task.WhenAll(submitting);
        }

        var sent = await Polling.WaitUntilAsync(() => CountAsync(admin, "sent"), n => n >= 11, TimeSpan.FromSeconds(60));
        Assert.Equal(11, sent);
        Assert.Equal(11, sink.Messages.Count);
    }

    [Theory]
    [InlineData(5, 503, "storage.busy")] // SQLITE_BUSY: the lock outlasted the busy timeout
    [InlineData(6, 503, "storage.busy")] // SQLITE_LOCKED
    [InlineData(13, 507, "storage.full")] // SQLITE_FULL: disk full or max_page_count reached
    public void StorageFailures_MapToClearStatuses(int sqliteCode, int status, string code)
    {
        var wrapped = new InvalidOperationException("outer", new SqliteException("storage said no", sqliteCode));
        Assert.Equal((status, code), StorageErrors.Classify(wrapped));
        Assert.Null(StorageErrors.Classify(new InvalidOperationException("not storage")));
    }

    [RootFact]
    public async Task DiskFullWhileSubmitting_Is507_NothingCorrupt_AndTheServerRecovers()
    {
        var mount = Directory.CreateTempSubdirectory("mailroom-diskfull-").FullName;
        Run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount);
        try
        {
            var data = Path.Combine(mount, "data");
            var filler = Path.Combine(mount, "filler");
            var statuses = new List<int>();
            var accepted = 0;
            using (var factory = Factory(b =>
                   {
                       b.UseSetting("Mailroom:DataDirectory", data);
                       b.UseSetting("Mailroom:Delivery:WorkerEnabled", "false");
                   }))
            {
                var admin = factory.Admin("pl");
                accepted += (await admin.PostAsJsonAsync("/api/messages", new { to = new[] { "a@example.test" }, subject = "before", text = "x" })).StatusCode == HttpStatusCode.Accepted ? 1 : 0;
                // Leave about 600 KB free, then submit 100 KB attachments until the disk is full.
                var free = new DriveInfo(mount).AvailableFreeSpace;
                await File.WriteAllBytesAsync(filler, new byte[Math.Max(0, free - 600_000)]);
                var attachment = Convert.ToBase64String(new byte[100_000]);
                for (var i = 0; i < 40 && !statuses.Contains(507); i++)
                {
                    var response = await admin.PostAsJsonAsync("/api/messages", new
                    {
                        to = new[] { "a@example.test" }, subject = $"fill {i}", text = "x",
                        attachments = new[] { new { fileName = $"f{i}.bin", contentBase64 = attachment } },
                    });
                    statuses.Add((int)response.StatusCode);
                    if (response.StatusCode == HttpStatusCode.Accepted) accepted++;
                    else if ((int)response.StatusCode == 507)
                    {
                        var problem = await response.ReadJsonAsync();
                        Assert.Equal("storage.full", (string?)problem["code"]);
                        Assert.Contains("pełny", (string?)problem["title"]);
                    }
                }
                Assert.Contains(507, statuses);
                Assert.DoesNotContain(statuses, s => s == 500);
                Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/api/health")).StatusCode);

                File.Delete(filler); // space comes back: the server recovers without a restart
                var after = await admin.PostAsJsonAsync("/api/messages", new { to = new[] { "a@example.test" }, subject = "after", text = "x" });
                Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
                accepted++;
                var stored = (await (await admin.GetAsync("/api/messages/stats")).ReadJsonAsync()).AsObject().Sum(p => (int)p.Value!);
                Assert.Equal(accepted, stored); // nothing half-stored
            }
            SqliteConnection.ClearAllPools();
            await using var check = new SqliteConnection($"Data Source={Path.Combine(data, "mailroom.db")};Pooling=False");
            await check.OpenAsync();
            await using var integrity = check.CreateCommand();
            integrity.CommandText = "PRAGMA integrity_check;";
            Assert.Equal("ok", (string?)await integrity.ExecuteScalarAsync());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Run("umount", mount);
            Directory.Delete(mount);
        }
    }

    [MailTestbedFact]
    public async Task BounceMailboxUnreachable_ServerStaysUp_DeliveryContinues_PollerBacksOff_AndBouncesAreReadWhenItReturns()
    {
        var bed = MailTestbed.Instance;
        var port = LoopbackPorts.Free(); // phase 1: nothing listens there (connection refused)
        using var factory = Factory(b =>
        {
            b.UseSetting("Mailroom:Delivery:SystemRelay:Host", bed.Host);
            b.UseSetting("Mailroom:Delivery:SystemRelay:Port", bed.PlainPort.ToString());
            b.UseSetting("Mailroom:Delivery:SystemRelay:Encryption", "none");
            b.UseSetting("Mailroom:Delivery:SystemRelay:FromAddress", $"noreply@{bed.Domain}");
            b.UseSetting("Mailroom:Bounces:Domain", bed.Domain);
            b.UseSetting("Mailroom:Bounces:Imap:Host", "127.0.0.1");
            b.UseSetting("Mailroom:Bounces:Imap:Port", port.ToString());
            b.UseSetting("Mailroom:Bounces:Imap:Encryption", "sslTls");
            b.UseSetting("Mailroom:Bounces:Imap:Login", bed.BouncesUserName);
            b.UseSetting("Mailroom:Bounces:Imap:Password", bed.Password);
            b.UseSetting("Mailroom:Bounces:Imap:CertificateSha256", bed.CertificateSha256);
            b.UseSetting("Mailroom:Bounces:Imap:PollInterval", "00:00:00.200");
            b.UseSetting("Mailroom:Bounces:Imap:MaxRetryDelay", "00:00:00.800");
            b.UseSetting("Mailroom:Bounces:Imap:IdleRestart", "00:00:02");
        });
        var admin = factory.Admin();
        var anonymous = factory.CreateClient();

        async Task<JsonNode> BounceCheckAsync()
        {
            var ready = await anonymous.GetAsync("/api/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode); // reported, not required: the server stays ready to send
            return (await ready.ReadJsonAsync())["checks"]!["bounceMailbox"]!;
        }
        Task<JsonNode> WaitForBounceCheckAsync(Func<JsonNode, bool> done, string what) =>
            Polling.WaitUntilAsync(BounceCheckAsync, done, TimeSpan.FromSeconds(60), check => $"{what}: {check.ToJsonString()}");
        async Task<JsonNode> MessageAsync(string id) => await (await admin.GetAsync($"/api/messages/{id}")).ReadJsonAsync();
        Task<string> SendAsync(string to, string subject) => QueueDriving.PostMessageAsync(admin, new { to = new[] { to }, subject, text = "x" });

        // Closed port: the reason is recorded and logged, attempts repeat with a doubling wait capped at MaxRetryDelay.
        var refused = await WaitForBounceCheckAsync(c => (int)c["consecutiveFailures"]! >= 5, "the poller did not keep retrying a closed port");
        Assert.Equal("unreachable", (string?)refused["status"]);
        Assert.Equal("SocketException: ConnectionRefused", (string?)refused["lastError"]);
        Assert.Equal(TimeSpan.FromMilliseconds(800), TimeSpan.Parse((string)refused["retryDelay"]!));
        var warnings = factory.LogLines.Where(l => l.Contains("Reading the bounce mailbox 127.0.0.1:" + port, StringComparison.Ordinal)).ToArray();
        Assert.Contains(warnings, l => l.Contains("trying again in 00:00:00.2", StringComparison.Ordinal));
        Assert.Contains(warnings, l => l.Contains("trying again in 00:00:00.4", StringComparison.Ordinal));
        Assert.Contains(warnings, l => l.Contains("trying again in 00:00:00.8", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, l => l.Contains("trying again in 00:00:01", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.LogLines, l => l.Contains(bed.Password, StringComparison.Ordinal));

        // Delivery goes on meanwhile, to the real test bed; a message that will bounce is sent too.
        var colleague = $"ok-{Guid.NewGuid():N}@{bed.Domain}";
        var good = await SendAsync(colleague, "while the bounce mailbox is away");
        var doomed = await SendAsync($"nobody-{Guid.NewGuid():N}@bounce.test", "bounces while the mailbox is away");
        Assert.Single(await bed.WaitForMessagesAsync(bed.CatchallUserName, m => m.To.Mailboxes.Any(a => a.Address == colleague), TimeSpan.FromSeconds(60)));
        await Polling.WaitUntilAsync(async () => (string?)(await MessageAsync(good))["status"] == "sent" ? 1 : 0, n => n == 1, TimeSpan.FromSeconds(60));

        // Phase 2: something answers on the port but drops every connection (a mailbox going away mid-session).
        await using var gate = new TcpGate(port);
        await WaitForBounceCheckAsync(_ => gate.Accepted >= 2, "the poller did not try the dropping listener again");
        var dropped = await BounceCheckAsync();
        Assert.Equal("unreachable", (string?)dropped["status"]);
        Assert.NotEqual("SocketException: ConnectionRefused", (string?)dropped["lastError"]);
        var droppedReason = (string)dropped["lastError"]!;
        var logged = await Polling.WaitUntilAsync(() => factory.LogLines.Count(l => l.Contains("failed (", StringComparison.Ordinal) && l.Contains(droppedReason, StringComparison.Ordinal)),
            n => n > 0, TimeSpan.FromSeconds(10)); // the warning follows the recorded status
        Assert.True(logged > 0, $"no warning logged for {droppedReason}");
        Assert.NotEqual("bounced", (string?)(await MessageAsync(doomed))["status"]);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/health/live")).StatusCode);

        // Phase 3: the mailbox comes back (the port now leads to the real Dovecot): the DSN that waited there is read.
        gate.ForwardTo(bed.Host, bed.ImapsPort);
        var back = await WaitForBounceCheckAsync(c => (string?)c["status"] == "ok", "the poller did not reconnect");
        Assert.Equal(0, (int)back["consecutiveFailures"]!);
        await Polling.WaitUntilAsync(async () => (string?)(await MessageAsync(doomed))["status"] == "bounced" ? 1 : 0, n => n == 1, TimeSpan.FromSeconds(90));
        var bounce = (await MessageAsync(doomed))["history"]!.AsArray().Last()!;
        Assert.Equal("5.1.1", (string?)bounce["reply"]!["enhancedCode"]);
        Assert.Contains(factory.LogLines, l => l.Contains($"Bounce mailbox 127.0.0.1:{port}/INBOX opened", StringComparison.Ordinal));
    }

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(20))) throw new TimeoutException($"{file} did not finish");
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {error}");
    }
}

/// <summary>
/// A TCP listener on 127.0.0.1 that first accepts and drops every connection, then — after
/// <see cref="ForwardTo"/> — relays connections to a real server: a mailbox that is away, then back.
/// </summary>
internal sealed class TcpGate : IAsyncDisposable
{
    private readonly System.Net.Sockets.TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private readonly List<System.Net.Sockets.TcpClient> open = [];
    private volatile DnsEndPoint? target;
    private int accepted;

    public TcpGate(int port)
    {
        listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, port);
        listener.Start();
        accepting = AcceptAsync();
    }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref accepted);

    public void ForwardTo(string host, int port) => target = new DnsEndPoint(host, port);

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            System.Net.Sockets.TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            Interlocked.Increment(ref accepted);
            if (target is not { } to)
            {
                client.Client.LingerState = new System.Net.Sockets.LingerOption(true, 0); // reset, as a server going away does
                client.Dispose();
                continue;
            }
            var upstream = new System.Net.Sockets.TcpClient();
            await upstream.ConnectAsync(to.Host, to.Port, stop.Token);
            lock (open) open.AddRange([client, upstream]);
            _ = Task.WhenAny(
                client.GetStream().CopyToAsync(upstream.GetStream(), stop.Token),
                upstream.GetStream().CopyToAsync(client.GetStream(), stop.Token)).ContinueWith(_ => { client.Dispose(); upstream.Dispose(); }, TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        lock (open) open.ForEach(c => c.Dispose());
        stop.Dispose();
    }
}

/// <summary>
/// A fact that mounts a small filesystem, which needs root. Skipped with the reason elsewhere; but
/// under CI=true it runs (and fails without root), so CI can never pass by skipping.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || (Environment.UserName != "root" && !Testing.MailTestbed.IsCi))
            Skip = "Needs root on Linux to mount a 4 MB tmpfs (the disk-full fault). CI=true runs it regardless.";
    }
}
