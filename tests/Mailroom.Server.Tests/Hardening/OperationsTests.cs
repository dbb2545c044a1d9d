using System.Net;
using Mailroom.Core.Mail;
using Mailroom.Hosting;
using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Server.Apis;
using Mailroom.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Data.Sqlite;

namespace Mailroom.Server.Tests.Hardening;

/// <summary>/api/health/live, /api/health/ready and /api/metrics (docs/operations.md), and backup/restore of the data folder.</summary>
public class OperationsTests
{
    [Fact]
    public async Task Ready_ChecksStorageAndWorker_AndReportsTheRelay()
    {
        using var factory = new MailroomServerFactory(withBootstrapKey: true, b => b.UseSetting("Mailroom:Delivery:PollInterval", "00:00:00.100"));
        var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/health/live")).StatusCode);

        var ready = await Polling.WaitUntilAsync(async () => (int)(await anonymous.GetAsync("/api/health/ready")).StatusCode, s => s == 200, TimeSpan.FromSeconds(20));
        var body = await (await anonymous.GetAsync("/api/health/ready")).ReadJsonAsync();

        Assert.Equal(200, ready);
        Assert.Equal("ready", (string?)body["status"]);
        Assert.Equal("ok", (string?)body["checks"]!["storage"]!["status"]);
        Assert.Equal("ok", (string?)body["checks"]!["worker"]!["status"]);
        Assert.Equal("notConfigured", (string?)body["checks"]!["relay"]!["status"]);
    }

    [Fact]
    public async Task Ready_PolledSteadily_ConnectsToTheRelayOncePerCacheDuration()
    {
        using var relay = new CountingListener();
        var clock = new RelayReachabilityClock();
        using var factory = new MailroomServerFactory(withBootstrapKey: true, b =>
        {
            b.UseSetting("Mailroom:Delivery:WorkerEnabled", "false");
            b.UseSetting("Mailroom:Delivery:SystemRelay:Host", "127.0.0.1");
            b.UseSetting("Mailroom:Delivery:SystemRelay:Port", relay.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.ConfigureTestServices(services => services.AddSingleton(new RelayReachability(clock, SystemHostResolver.Instance, TimeSpan.FromSeconds(30))));
        });
        var anonymous = factory.CreateClient();

        var first = await (await anonymous.GetAsync("/api/health/ready")).ReadJsonAsync();
        Assert.Equal(1, await relay.WaitForAsync(1));
        var second = await (await anonymous.GetAsync("/api/health/ready")).ReadJsonAsync();
        Assert.Equal(1, relay.Accepted());
        clock.Advance(TimeSpan.FromSeconds(30));
        var third = await (await anonymous.GetAsync("/api/health/ready")).ReadJsonAsync();

        Assert.Equal(2, await relay.WaitForAsync(2));
        Assert.Equal("ok", (string?)first["checks"]!["relay"]!["status"]);
        Assert.Equal((string?)first["checks"]!["relay"]!["checkedAt"], (string?)second["checks"]!["relay"]!["checkedAt"]);
        Assert.NotEqual((string?)first["checks"]!["relay"]!["checkedAt"], (string?)third["checks"]!["relay"]!["checkedAt"]);
        Assert.Equal("ok", (string?)third["checks"]!["storage"]!["status"]);
    }

    [Fact]
    public async Task Ready_Is503_WhenStorageIsGone()
    {
        using var factory = new MailroomServerFactory(withBootstrapKey: true, b => b.UseSetting("Mailroom:Delivery:WorkerEnabled", "false"));
        var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/health/ready")).StatusCode);

        // Swap the data folder for one where mailroom.db is a folder, by renames: background jobs still running in the
        // server (events, webhooks) would otherwise recreate the database file between a delete and a mkdir.
        var replacement = factory.DataDirectory + ".broken";
        Directory.CreateDirectory(Path.Combine(replacement, "mailroom.db"));
        SqliteConnection.ClearAllPools();
        var gone = factory.DataDirectory + ".gone";
        Directory.Move(factory.DataDirectory, gone);
        Directory.Move(replacement, factory.DataDirectory);
        Directory.Delete(gone, recursive: true);
        var response = await anonymous.GetAsync("/api/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("failed", (string?)(await response.ReadJsonAsync())["checks"]!["storage"]!["status"]);
    }

    [Fact]
    public async Task Metrics_InPrometheusFormat_CountQueueAndDeliveries_AdministratorsOnly()
    {
        await using var sink = new ScriptedSmtpServer();
        using var factory = new MailroomServerFactory(withBootstrapKey: true, b => b.UseSetting("Mailroom:Delivery:PollInterval", "00:00:00.100"));
        var admin = factory.Admin();
        await QueueDriving.ConfigureSinkAsSenderAsync(admin, sink.Port);
        await QueueDriving.SubmitAsync([admin], 3, sendAfter: null);
        await QueueDriving.SubmitAsync([admin], 2, sendAfter: DateTimeOffset.UtcNow.AddHours(1));
        await Polling.WaitUntilAsync(() => QueueDriving.SentCountAsync(admin), n => n >= 3, TimeSpan.FromSeconds(30));

        var response = await admin.GetAsync("/api/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("# TYPE mailroom_queue_messages gauge", text);
        Assert.Contains("mailroom_queue_messages{status=\"sent\"} 3\n", text);
        Assert.Contains("mailroom_queue_messages{status=\"queued\"} 2\n", text);
        Assert.Contains("mailroom_delivery_attempts_total{outcome=\"delivered\"} 3\n", text);
        Assert.Contains("mailroom_delivery_attempts_last_minute{outcome=\"delivered\"} 3\n", text);
        Assert.Matches(@"mailroom_worker_last_loop_seconds \d", text);
        var user = await factory.NewUserAsync("anna", "anna@firma.pl");
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/api/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/api/metrics")).StatusCode);
    }

    [Fact]
    public void Metrics_WorkerThatBeatAfterTheClockWasRead_IsZeroSecondsAgo_NeverNegative()
    {
        var now = DateTimeOffset.UtcNow;
        var metrics = new DeliveryMetrics();
        metrics.WorkerHeartbeat(now.AddMilliseconds(5));

        var text = OperationsApi.Render(new Dictionary<MessageStatus, int>(), metrics, now);

        Assert.Contains("mailroom_worker_last_loop_seconds 0\n", text);
        metrics.WorkerHeartbeat(now.AddSeconds(-2));
        Assert.Contains("mailroom_worker_last_loop_seconds 2\n", OperationsApi.Render(new Dictionary<MessageStatus, int>(), metrics, now));
    }

    [Fact]
    public async Task BackupOfTheDataFolder_RestoresSettingsSecretsAndQueue()
    {
        const string password = "Backup-Secret-H8n2-Unique";
        var backup = Directory.CreateTempSubdirectory("mailroom-backup-").FullName;
        try
        {
            string id;
            using (var original = new MailroomServerFactory(withBootstrapKey: true, b => b.UseSetting("Mailroom:Delivery:WorkerEnabled", "false")))
            {
                var admin = original.Admin();
                (await admin.PutJsonAsync("/api/settings/global", new { host = "smtp.example.test", port = 587, encryption = "startTls", authentication = "password", login = "firma@example.test", password })).EnsureSuccessStatusCode();
                id = (await QueueDriving.SubmitAsync([admin], 1)).Single();
                // The documented backup (docs/operations.md): an online copy of the database, plus the keys folder.
                await using (var source = new SqliteConnection($"Data Source={Path.Combine(original.DataDirectory, "mailroom.db")};Pooling=False"))
                {
                    await source.OpenAsync();
                    await using var vacuum = source.CreateCommand();
                    vacuum.CommandText = $"VACUUM INTO '{Path.Combine(backup, "mailroom.db")}'";
                    await vacuum.ExecuteNonQueryAsync();
                }
                CopyFolder(Path.Combine(original.DataDirectory, "keys"), Path.Combine(backup, "keys"));
            }

            using var restored = new MailroomServerFactory(withBootstrapKey: true, b =>
            {
                b.UseSetting("Mailroom:DataDirectory", backup);
                b.UseSetting("Mailroom:Delivery:WorkerEnabled", "false");
            });
            var message = await (await restored.Admin().GetAsync($"/api/messages/{id}")).ReadJsonAsync();
            Assert.Equal("queued", (string?)message["status"]);
            var stored = await restored.Services.DecryptGlobalPasswordAsync();
            Assert.Equal(password, stored);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(backup, recursive: true);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}

internal static class RestoredSecrets
{
    /// <summary>The global profile's password, decrypted with the restored keys.</summary>
    public static async Task<string> DecryptGlobalPasswordAsync(this IServiceProvider services)
    {
        var store = (Core.Storage.ISettingsStore)services.GetService(typeof(Core.Storage.ISettingsStore))!;
        var secrets = (Core.Security.ISecretProtector)services.GetService(typeof(Core.Security.ISecretProtector))!;
        var profile = await store.GetProfileAsync(Core.Settings.ProfileScope.Global);
        return secrets.Unprotect(profile!.ProtectedPassword!);
    }
}
