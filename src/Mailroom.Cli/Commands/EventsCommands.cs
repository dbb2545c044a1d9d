using System.CommandLine;
using System.Text.Json;
using Mailroom.Client;
using Mailroom.Core.Events;

namespace Mailroom.Cli.Commands;

/// <summary><c>mailroom events tail</c>: the events log by cursor, optionally following new events.</summary>
public static class EventsCommands
{
    /// <summary>The shortest and longest wait between two polls of --follow.</summary>
    public const int MinInterval = 1, MaxInterval = 60;

    private static readonly Option<string?> Type = new("--type") { Description = "Only these event types: one name or a comma-separated list (e.g. message.sent,message.failed)" };
    private static readonly Option<string?> MessageId = new("--message") { Description = "Only this message's events" };
    private static readonly Option<string?> UserId = new("--user") { Description = "Only this user's events (administrators)" };
    private static readonly Option<DateTimeOffset?> Since = new("--since") { Description = "From this time (ISO 8601, inclusive)" };
    private static readonly Option<DateTimeOffset?> Until = new("--until") { Description = "Before this time (ISO 8601, exclusive)" };
    private static readonly Option<long?> After = new("--after") { Description = "Start after this event id (the cursor; default: from the start)" };
    private static readonly Option<int?> Limit = new("--limit") { Description = "Events per request (1–500, default 100)" };
    private static readonly Option<bool> Follow = new("--follow", "-f") { Description = "Keep polling for new events until Ctrl+C" };
    private static readonly Option<int> Interval = new("--interval") { Description = $"Seconds between polls with --follow ({MinInterval}–{MaxInterval})", DefaultValueFactory = _ => 2 };

    /// <summary>The command group.</summary>
    public static Command Create() => new Command("events", "The events log").With(
        new Command("tail", "Print events oldest first (--json: one JSON object per line); --follow keeps printing new ones")
            .With(Type, MessageId, UserId, Since, Until, After, Limit, Follow, Interval).Runs(TailAsync));

    private static async Task<int> TailAsync(CliContext context)
    {
        var interval = context.Get(Interval);
        if (interval is < MinInterval or > MaxInterval)
            throw new CliUsageException(context.Text("cli.events.badInterval", ("value", interval), ("min", MinInterval), ("max", MaxInterval)));
        var follow = context.Get(Follow);
        var after = context.Get(After);
        try
        {
            while (true)
            {
                var page = await context.Client.ListEventsAsync(context.Get(Type), context.Get(MessageId), context.Get(UserId),
                    context.Get(Since), context.Get(Until), after, context.Get(Limit), context.CancellationToken);
                foreach (var e in page.Items) Write(context, e);
                await context.Out.FlushAsync(context.CancellationToken);
                after = page.Next;
                if (page.HasMore) continue;
                if (!follow) return ExitCodes.Ok;
                await Task.Delay(TimeSpan.FromSeconds(interval), context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (follow && context.CancellationToken.IsCancellationRequested)
        {
            // Ctrl+C is how --follow ends: everything read was printed.
            return ExitCodes.Ok;
        }
    }

    private static void Write(CliContext context, EventPayload e)
    {
        if (context.JsonOutput)
        {
            // One object per line (JSON Lines), so a script can read events as they come.
            context.Out.WriteLine(JsonSerializer.Serialize(e, MailroomClient.Json));
            return;
        }
        var reply = e.Reply is { } r ? $"  [{r.Code}{(r.EnhancedCode is null ? "" : " " + r.EnhancedCode)}]" : "";
        context.Out.WriteLine($"{e.Id,6}  {e.At.ToUniversalTime():yyyy-MM-dd HH:mm:ss}  {e.Type,-18}  {e.MessageId ?? "-"}  {e.UserId ?? "-"}  {e.Reason}{reply}");
    }
}
