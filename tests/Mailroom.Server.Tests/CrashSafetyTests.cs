using Mailroom.Testing;
using Xunit.Abstractions;
using static Mailroom.Server.Tests.QueueDriving;
using static Mailroom.Testing.Polling;

namespace Mailroom.Server.Tests;

/// <summary>
/// Postfix's promise, kept: mail Mailroom accepted is never lost. The server process is killed
/// with SIGKILL twice — right after accepting a few thousand messages, and again in the middle
/// of delivering them to a real SMTP peer (Postfix's smtp-sink) — and every message still arrives.
/// </summary>
public class CrashSafetyTests(ITestOutputHelper output)
{
    private const int MessageCount = 2000;
    private const string Key = "crash-test-admin-key-0123456789";

    [MailTestbedFact]
    public async Task KilledServer_LosesNoAcceptedMessage_AndResendsOnlyWhatWasInFlight()
    {
        using var sink = SmtpSink.Start();
        var dataDirectory = Directory.CreateTempSubdirectory("mailroom-crash-").FullName;
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["Mailroom__Bootstrap__AdminApiKey"] = Key,
                ["Mailroom__Delivery__LeaseDuration"] = "00:00:03",
                ["Mailroom__Delivery__PollInterval"] = "00:00:00.200",
                ["Mailroom__Delivery__SmtpTimeout"] = "00:00:10",
            };

            // 1. Accept everything with delivery off, then die: a 202 must mean "stored".
            string[] ids;
            await using (var accepting = await MailroomServerProcess.StartAsync(dataDirectory,
                             new Dictionary<string, string>(environment) { ["Mailroom__Delivery__WorkerEnabled"] = "false" }, Key))
            {
                await ConfigureSinkAsSenderAsync(accepting.Http, sink.Port);
                ids = await SubmitAsync([accepting.Http], MessageCount);
                await accepting.KillAsync();
            }

            // 2. Deliver, and die again in the middle of it.
            int arrivedBeforeSecondKill;
            await using (var delivering = await MailroomServerProcess.StartAsync(dataDirectory, environment, Key))
            {
                arrivedBeforeSecondKill = await WaitUntilAsync(() => sink.ReceivedCount, n => n >= MessageCount / 3, TimeSpan.FromSeconds(120));
                await delivering.KillAsync();
            }
            Assert.True(arrivedBeforeSecondKill < MessageCount, "the second kill must land while delivery is still going on");

            // 3. A fresh process finishes the work, including what the killed one had leased.
            await using var finishing = await MailroomServerProcess.StartAsync(dataDirectory, environment, Key);
            await WaitUntilAsync(() => SentCountAsync(finishing.Http),
                sent => sent == MessageCount, TimeSpan.FromSeconds(180));

            var arrivals = sink.ReceivedMessageIds();
            var missing = ids.Where(id => !arrivals.Any(a => a.Contains(id, StringComparison.Ordinal))).ToArray();
            var duplicates = arrivals.Count - arrivals.Distinct().Count();
            var reclaimed = await CountReclaimedAsync(finishing.Http, ids);
            output.WriteLine($"messages: {MessageCount}; arrived before the second kill: {arrivedBeforeSecondKill}; " +
                             $"arrivals: {arrivals.Count}; duplicates: {duplicates}; claimed again after a lost lease: {reclaimed}");

            Assert.Empty(missing);
            Assert.True(duplicates <= reclaimed, $"{duplicates} duplicates but only {reclaimed} messages were in flight when the worker died");
            Assert.Equal(MessageCount, arrivals.Distinct().Count());
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
