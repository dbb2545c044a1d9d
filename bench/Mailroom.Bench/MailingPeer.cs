using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Mailroom.Bench;

/// <summary>
/// The <c>mailing</c> scenario: one mass mailing of R recipients (CSV, one shared PDF attachment)
/// uploaded to a Mailroom server whose sender delivers to smtp-sink. Measures the time until the
/// POST returns (every row in the queue), the server's peak memory (VmHWM) and the delivery rate
/// over a fixed window afterwards; then cancels the rest (the machine is shared).
/// </summary>
internal static class MailingPeer
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<PeerResult> RunAsync(BenchOptions o, int recipients, TimeSpan window)
    {
        const string name = "mailroom-mailing";
        var path = $"POST /api/mailings (CSV, {recipients} rows, streamed in batches) -> SQLite queue -> delivery worker (Concurrency={o.Concurrency}) -> smtp-sink";
        if (!File.Exists(o.ServerDll))
            return PostfixPeer.Failed(name, path, o, 0, $"{o.ServerDll} not found");
        using var sink = new Sink(o.Repo, o.WorkDir);
        var httpPort = Infra.FreePort();
        var dataDir = Path.Combine(o.WorkDir, $"mailing-data-{httpPort}");
        Directory.CreateDirectory(dataDir);
        var apiKey = MailroomServers.NewApiKey();
        using var server = MailroomServers.StartServer(o, httpPort, dataDir, apiKey, Path.Combine(o.WorkDir, $"mailing-server-{httpPort}.log"), worker: true);
        using var http = MailroomServers.NewHttp(httpPort, apiKey, parallel: 1, timeout: TimeSpan.FromMinutes(30));
        try
        {
            await MailroomServers.WaitHealthyAsync(http, server);
            (await http.PutAsJsonAsync("/api/settings/port-policy", new { additionalPorts = new[] { sink.Port } }, Json)).EnsureSuccessStatusCode();
            (await http.PostAsJsonAsync("/api/users", new { id = "bench", email = "bench@example.test", role = "user" }, Json)).EnsureSuccessStatusCode();
            (await http.PutAsJsonAsync("/api/users/bench/settings", new
            {
                senderMode = "ownSmtp", host = "127.0.0.1", port = sink.Port, encryption = "none", authentication = "none", fromAddress = Mail.From,
            }, Json)).EnsureSuccessStatusCode();

            var csvPath = Path.Combine(o.WorkDir, "recipients.csv");
            await using (var csv = new StreamWriter(csvPath, false, new UTF8Encoding(false)))
            {
                await csv.WriteLineAsync("email,recipientName,documentName,documentNumber,link,dueDate,handedOverBy,attachments");
                for (var i = 1; i <= recipients; i++)
                    await csv.WriteLineAsync($"customer{i}@example.test,Customer {i},Invoice,FV/2026/{i},https://dms.example/{i},2026-12-06,Bench,invoice.pdf");
            }
            var rssBefore = PeakRssMb(server.Id);
            using var form = new MultipartFormDataContent
            {
                { new StringContent("document-handed-over"), "template" },
                { new StringContent("en"), "language" },
                { new StringContent("bench"), "senderUserId" },
            };
            var file = new StreamContent(File.OpenRead(csvPath), 64 * 1024);
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, "recipients", "recipients.csv");
            var pdf = new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.4\n" + new string('x', 20_000) + "\n%%EOF"));
            pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(pdf, "attachments", "invoice.pdf");

            var cpuBefore = CpuSeconds(server.Id);
            var clock = Stopwatch.StartNew();
            using var response = await http.PostAsync("/api/mailings", form);
            var enqueue = clock.Elapsed;
            var serverCpu = CpuSeconds(server.Id) - cpuBefore;
            var body = await response.Content.ReadAsStringAsync();
            var peak = PeakRssMb(server.Id);
            if (!response.IsSuccessStatusCode) return PostfixPeer.Failed(name, path, o, 0, $"POST /api/mailings: {(int)response.StatusCode} {body}");
            var mailing = JsonDocument.Parse(body).RootElement;
            var id = mailing.GetProperty("id").GetString()!;
            var queued = mailing.GetProperty("counts").GetProperty("queued").GetInt32() + mailing.GetProperty("counts").GetProperty("sent").GetInt32()
                         + mailing.GetProperty("counts").GetProperty("sending").GetInt32();
            Console.WriteLine($"  enqueued {queued} of {recipients} in {enqueue.TotalSeconds:0.0} s (server CPU {serverCpu:0.0} s); peak RSS {peak:0} MB (before upload {rssBefore:0} MB)");

            // Delivery rate over a fixed window, from the moment every row was queued.
            var startCount = sink.Observed();
            var windowClock = Stopwatch.StartNew();
            while (windowClock.Elapsed < window && sink.Observed() - startCount < recipients) Thread.Sleep(200);
            var delivered = sink.Count() - startCount;
            var seconds = windowClock.Elapsed.TotalSeconds;
            var cancelled = await http.PostAsync($"/api/mailings/{id}/cancel", null);
            Console.WriteLine($"  delivered {delivered} in a {seconds:0} s window ({delivered / seconds:0.0}/s); rest cancelled: {(int)cancelled.StatusCode}");
            return new PeerResult(name, path, recipients, delivered, seconds, delivered / seconds, enqueue.TotalSeconds, recipients / enqueue.TotalSeconds, null,
                $"enqueue = POST until 201 (all rows queued), server CPU {serverCpu:0.0} s meanwhile; peak memory = server VmHWM {peak:0} MB; delivery rate = sink arrivals over the window after enqueue",
                null, new Dictionary<string, int> { ["peakRssMb"] = (int)Math.Round(peak), ["queued"] = queued, ["enqueueServerCpuMs"] = (int)Math.Round(serverCpu * 1000) });
        }
        finally
        {
            Infra.Stop(server, TimeSpan.FromSeconds(15));
        }
    }

    /// <summary>CPU time (user + system) the process has used, in seconds, from /proc/&lt;pid&gt;/stat (clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ": fields[0] is the state
        return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>The process's peak resident memory (VmHWM) in MB, from /proc.</summary>
    private static double PeakRssMb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(':')[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }
}
