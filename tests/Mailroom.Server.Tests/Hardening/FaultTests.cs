using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Mailroom.Server.Hosting;
using Mailroom.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;

namespace Mailroom.Server.Tests.Hardening;

/// <summary>
/// Delivery and submission under faults: the SMTP server going away and coming back mid-run,
/// another connection holding SQLite's write lock, the disk filling up while messages are submitted.
/// Each ends with every message accounted for and the server still serving.
/// </summary>
public class FaultTests
{
    private static MailroomServerFactory Factory(Action<IWebHostBuilder>? more = null) => new(withBootstrapKey: true, configure: b =>
    {
        b.UseSetting("Mailroom:Delivery:PollInterval", "00:00:00.100");
        b.UseSetting("Mailroom:Delivery:SmtpTimeout", "00:00:05");
        b.UseSetting("Mailroom:Delivery:RetryDelays", "00:00:01");
        more?.Invoke(b);
    });

    private static async Task<string> SubmitAsync(HttpClient client, int n)
    {
        var response = await client.PostAsJsonAsync("/api/messages", new { to = new[] { $"r{n}@example.test" }, subject = $"fault-{n}", text = "x" });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (string)(await response.ReadJsonAsync())["id"]!;
    }

    private static async Task<int> CountAsync(HttpClient admin, string status) =>
        (int?)(await (await admin.GetAsync("/api/messages/stats")).ReadJsonAsync())[status] ?? 0;

    [Fact]
    public async Task SmtpServerRestartingMidRun_EveryMessageIsSentOnce_NoneLost()
    {
        var port = FreePort();
        var servers = new List<ScriptedSmtpServer> { new(null, port) };
        try
        {
            using var factory = Factory();
            var admin = factory.Admin();
            await QueueDriving.ConfigureSinkAsSenderAsync(admin, port);
            var ids = new List<string>();
            for (var i = 0; i < 15; i++) ids.Add(await SubmitAsync(admin, i));
            await QueueDriving.WaitUntilAsync(() => servers[0].Messages.Count, n => n >= 5, TimeSpan.FromSeconds(30));

            await servers[0].DisposeAsync(); // the server goes away mid-run…
            for (var i = 15; i < 30; i++) ids.Add(await SubmitAsync(admin, i));
            await Task.Delay(TimeSpan.FromSeconds(2)); // …attempts fail meanwhile (deferred)…
            servers.Add(new ScriptedSmtpServer(null, port)); // …and comes back on the same port.
            var sent = await QueueDriving.WaitUntilAsync(() => CountAsync(admin, "sent"), n => n >= ids.Count, TimeSpan.FromSeconds(60));

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

        var sent = await QueueDriving.WaitUntilAsync(() => CountAsync(admin, "sent"), n => n >= 11, TimeSpan.FromSeconds(60));
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

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(20))) throw new TimeoutException($"{file} did not finish");
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {error}");
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
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
        if (!OperatingSystem.IsLinux() || (Environment.UserName != "root" && Environment.GetEnvironmentVariable("CI") != "true"))
            Skip = "Needs root on Linux to mount a 4 MB tmpfs (the disk-full fault). CI=true runs it regardless.";
    }
}
