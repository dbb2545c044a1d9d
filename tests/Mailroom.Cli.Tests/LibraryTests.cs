using Mailroom.Core.Mail;
using Mailroom.Core.Settings;
using Mailroom.Hosting;
using Mailroom.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MimeKit;

namespace Mailroom.Cli.Tests;

/// <summary>services.AddMailroom(…) in a test host: submit, follow, deliver to the real test bed; and the sample app run as a process.</summary>
public class LibraryTests
{
    /// <summary>A data folder of its own for one test, deleted afterwards.</summary>
    private sealed class DataFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("mailroom-lib-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    private static IHost BuildHost(string dataDirectory, Action<MailroomOptions>? more = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMailroom(o =>
        {
            o.DataDirectory = dataDirectory;
            o.Delivery.PollInterval = TimeSpan.FromMilliseconds(100);
            o.Delivery.SmtpTimeout = TimeSpan.FromSeconds(10);
            o.Delivery.RetryDelays = "00:10:00";
            more?.Invoke(o);
        });
        return builder.Build();
    }

    private static Task<Core.Queue.QueuedMessage> WaitAsync(MailroomMailer mailer, string id) =>
        Polling.WaitUntilAsync(async () => (await mailer.GetAsync(id))!,
            message => message.Status.IsFinal() || message.Status == MessageStatus.Held, TimeSpan.FromSeconds(60),
            message => $"{id} {message.Status.Name()}");

    [MailTestbedFact]
    public async Task AddMailroom_InATestHost_DeliversToTheTestbed_WithTheHistory()
    {
        var bed = MailTestbed.Instance;
        using var folder = new DataFolder();
        var data = folder.Path;
        using var host = BuildHost(data);
        await host.StartAsync();
        var settings = host.Services.GetRequiredService<SenderSettingsService>();
        var deployment = host.Services.GetRequiredService<DeploymentSettingsService>();
        await deployment.SetAdditionalPortsAsync([bed.SubmissionPort], "test");
        var saved = await settings.SaveProfileAsync(ProfileScope.Global, new SenderProfileInput
        {
            SenderMode = SenderMode.OwnSmtp, Host = bed.Host, Port = bed.SubmissionPort, Encryption = EncryptionMode.StartTls,
            Authentication = AuthenticationMethod.Password, Login = bed.UserName, Password = bed.Password,
            CertificateSha256 = bed.CertificateSha256, FromAddress = bed.UserName,
        }, "test");
        Assert.True(saved.Saved, string.Join("; ", saved.Issues.Select(i => i.Code)));
        var mailer = host.Services.GetRequiredService<MailroomMailer>();
        var subject = $"Library {Guid.NewGuid():N}";

        var outcome = await mailer.SubmitAsync(new MessageDraft
        {
            To = [bed.UserName], Subject = subject, TextBody = "Z biblioteki.",
            Attachments = [new MessageAttachment("raport.csv", "text/csv", "a;b\n1;2\n"u8.ToArray())],
        });

        Assert.True(outcome.Accepted);
        var message = await WaitAsync(mailer, outcome.Result!.Id);
        Assert.Equal(MessageStatus.Sent, message.Status);
        Assert.Equal(250, (await mailer.GetHistoryAsync(message.Id)).Last().Reply?.Code);
        var received = (await bed.WaitForMessagesAsync(bed.UserName, m => m.Subject == subject, TimeSpan.FromSeconds(30))).Single();
        Assert.Equal("raport.csv", received.Attachments.OfType<MimePart>().Single().FileName);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddMailroom_RefusedDraft_NamesTheField_AndStoresNothing()
    {
        using var folder = new DataFolder();
        var data = folder.Path;
        using var host = BuildHost(data, o => o.Delivery.WorkerEnabled = false);
        await host.StartAsync();
        var mailer = host.Services.GetRequiredService<MailroomMailer>();
        var queue = host.Services.GetRequiredService<Core.Queue.IMessageQueueStorage>();

        var outcome = await mailer.SubmitAsync(new MessageDraft { To = ["ok@example.test", "not an address"], Subject = "x", TextBody = "y" });

        Assert.False(outcome.Accepted);
        Assert.Contains(outcome.Issues, i => i.Field == "to[1]");
        Assert.Empty((await queue.ListAsync(null, null, 10, null)).Items);
        await host.StopAsync();
    }

    [Fact]
    public async Task DeliveryWorker_WhoseClaimLoopFails_Ends_InsteadOfWaitingForItsLeaseKeeperForever()
    {
        using var folder = new DataFolder();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMailroom(o =>
        {
            o.DataDirectory = folder.Path;
            o.Delivery.PollInterval = TimeSpan.FromMilliseconds(100);
        });
        // The backend's queue, except that a claim fails with an error the claim loop does not handle
        // (a cancellation that is not the host's: a driver's own timeout, say).
        var backend = builder.Services.Last(d => d.ServiceType == typeof(Core.Queue.IMessageQueueStorage));
        builder.Services.AddSingleton(sp => ClaimFailingQueue.Around((Core.Queue.IMessageQueueStorage)(backend.ImplementationInstance
            ?? backend.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, backend.ImplementationType!))));
        using var host = builder.Build();
        await host.StartAsync();
        var worker = host.Services.GetServices<IHostedService>().OfType<DeliveryWorker>().Single();

        var ended = await Task.WhenAny(worker.ExecuteTask!, Task.Delay(TimeSpan.FromSeconds(30))) == worker.ExecuteTask;

        Assert.True(ended, "the worker still runs 30 s after its claim loop failed: it waits for its lease keeper, which only the host's stop ends");
        Assert.Equal(TaskStatus.Canceled, worker.ExecuteTask!.Status); // ended by the claim's cancellation, as thrown
        await host.StopAsync();
    }

    /// <summary>An <see cref="Core.Queue.IMessageQueueStorage"/> whose claims fail and whose other calls go to the backend.</summary>
    public class ClaimFailingQueue : System.Reflection.DispatchProxy
    {
        private Core.Queue.IMessageQueueStorage _inner = null!;

        public static Core.Queue.IMessageQueueStorage Around(Core.Queue.IMessageQueueStorage inner)
        {
            var proxy = Create<Core.Queue.IMessageQueueStorage, ClaimFailingQueue>();
            ((ClaimFailingQueue)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(System.Reflection.MethodInfo? method, object?[]? args) =>
            method!.Name == nameof(Core.Queue.IMessageQueueStorage.ClaimAsync)
                ? Task.FromException<IReadOnlyList<Core.Queue.ClaimedMessage>>(new OperationCanceledException("the database driver timed out"))
                : method.Invoke(_inner, args);
    }

    [Fact]
    public async Task AddMailroom_BadOption_StopsTheHostAtStart_NamingTheKey()
    {
        using var folder = new DataFolder();
        var data = folder.Path;
        using var host = BuildHost(data, o => o.Delivery.BatchSize = 0);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains("Mailroom:Delivery:BatchSize", error.Message);
    }

    [Fact]
    public async Task SampleHostApp_RunsAsAProcess_AndItsMessageIsCaptured()
    {
        using var folder = new DataFolder();
        var data = folder.Path;
        var sample = await CliProcess.RunDllAsync("Mailroom.Sample.dll",
            new Dictionary<string, string?> { ["Mailroom__DataDirectory"] = data, ["Mailroom__Delivery__PollInterval"] = "00:00:00.100" },
            null, "--to", "odbiorca@example.test");

        Assert.True(sample.ExitCode == 0, sample.ToString());
        // The host's console log shares stdout; the sample's own line is "<id> captured <reason>".
        var id = System.Text.RegularExpressions.Regex.Match(sample.Out, "([0-9a-f]{32}) captured").Groups[1].Value;
        Assert.NotEmpty(id);
        var eml = await MimeMessage.LoadAsync(Path.Combine(data, "captured-mail", $"{id}.eml"));
        Assert.Equal("odbiorca@example.test", eml.To.Mailboxes.Single().Address);
    }
}
