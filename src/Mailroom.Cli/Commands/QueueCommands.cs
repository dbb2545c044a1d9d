using System.CommandLine;
using Mailroom.Client;
using Mailroom.Core.Mail;

namespace Mailroom.Cli.Commands;

/// <summary><c>mailroom queue list|show|retry|cancel</c>.</summary>
public static class QueueCommands
{
    private static readonly Option<string?> Status = new("--status") { Description = "Only messages in this state: queued, sending, sent, deferred, failed, cancelled, held, captured" };
    private static readonly Option<string?> Sender = new("--sender") { Description = "Only this user's messages (administrators)" };
    private static readonly Option<int?> Limit = new("--limit") { Description = "At most this many (1–500, default 50)" };
    private static readonly Option<string?> Cursor = new("--cursor") { Description = "The next page: the cursor the previous page printed" };
    private static readonly Argument<string> Id = new("id") { Description = "The message id" };
    private static readonly Option<string?> Reason = new("--reason") { Description = "Why (kept in the message's history)" };

    /// <summary>The command group.</summary>
    public static Command Create() => new Command("queue", "The message queue").With(
        new Command("list", "Messages, newest first").With(Status, Sender, Limit, Cursor).Runs(ListAsync),
        new Command("show", "A message with its history and the SMTP replies").With(Id).Runs(ShowAsync),
        new Command("retry", "Queue a failed, deferred, held or cancelled message again (administrators)").With(Id, Reason).Runs(c => ActAsync(c, retry: true)),
        new Command("cancel", "Cancel a queued, deferred or held message (administrators)").With(Id, Reason).Runs(c => ActAsync(c, retry: false)));

    private static async Task<int> ListAsync(CliContext context)
    {
        MessageStatus? status = null;
        if (context.Get(Status) is { } text && (status = MessageStatuses.Parse(text)) is null)
            throw new CliUsageException(context.Text("cli.badStatus", ("value", text), ("known", string.Join(", ", MessageStatuses.All.Select(s => s.Name())))));
        var page = await context.Client.ListMessagesAsync(status, context.Get(Sender), context.Get(Limit), context.Get(Cursor), context.CancellationToken);
        if (context.JsonOutput)
        {
            context.WriteJson(page);
            return ExitCodes.Ok;
        }
        foreach (var m in page.Items)
            context.Out.WriteLine($"{m.Id}  {m.Status.Name(),-9}  {m.UpdatedAt:yyyy-MM-dd HH:mm:ss}  {m.SenderUserId ?? "(global)",-12}  {string.Join(", ", m.To)}  {m.Subject}");
        if (page.NextCursor is not null) context.Out.WriteLine($"--cursor {page.NextCursor}");
        return ExitCodes.Ok;
    }

    private static async Task<int> ShowAsync(CliContext context)
    {
        var message = await context.Client.GetMessageAsync(context.Get(Id)!, context.CancellationToken);
        if (context.JsonOutput) context.WriteJson(message);
        else WriteMessage(context, message);
        return ExitCodes.Ok;
    }

    private static async Task<int> ActAsync(CliContext context, bool retry)
    {
        var id = context.Get(Id)!;
        var message = retry
            ? await context.Client.RetryMessageAsync(id, context.Get(Reason), context.CancellationToken)
            : await context.Client.CancelMessageAsync(id, context.Get(Reason), context.CancellationToken);
        if (context.JsonOutput) context.WriteJson(message);
        else context.Out.WriteLine($"{message.Id}  {message.Status.Name()}  {message.StatusReason}");
        return ExitCodes.Ok;
    }

    /// <summary>A message as text: state, recipients, and its history with the SMTP replies.</summary>
    public static void WriteMessage(CliContext context, MessageView m)
    {
        context.Out.WriteLine($"{m.Id}  {m.Status.Name()}  attempts={m.Attempts}  priority={m.Priority.ToString().ToLowerInvariant()}");
        context.Out.WriteLine($"  from:    {m.SenderUserId ?? "(global profile)"}");
        context.Out.WriteLine($"  to:      {string.Join(", ", m.To.Concat(m.Cc).Concat(m.Bcc))}");
        context.Out.WriteLine($"  subject: {m.Subject}");
        foreach (var a in m.Attachments) context.Out.WriteLine($"  attachment: {a.FileName} ({a.ContentType}, {a.Size} B)");
        if (m.StatusReason is not null) context.Out.WriteLine($"  reason:  {m.StatusReason}");
        foreach (var h in m.History ?? [])
        {
            var reply = h.Reply is { } r ? $"  [{r.Code} {r.EnhancedCode} {r.Text}]" : "";
            context.Out.WriteLine($"  {h.At:yyyy-MM-dd HH:mm:ss}  {h.Status.Name(),-9}  {h.Reason}{reply}");
        }
    }
}
