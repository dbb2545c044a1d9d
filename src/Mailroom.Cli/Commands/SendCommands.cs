using System.CommandLine;
using Mailroom.Client;
using Mailroom.Core.Mail;
using Microsoft.AspNetCore.StaticFiles;

namespace Mailroom.Cli.Commands;

/// <summary><c>mailroom send</c> (a message) and <c>mailroom test</c> (a test message through a profile), optionally waiting for the outcome.</summary>
public static class SendCommands
{
    private static readonly Option<string[]> To = new("--to") { Description = "Recipient (repeat for several)", Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string[]> Cc = new("--cc") { Description = "Copy recipient (repeatable)" };
    private static readonly Option<string[]> Bcc = new("--bcc") { Description = "Hidden recipient (repeatable)" };
    private static readonly Option<string?> Subject = new("--subject", "-s") { Description = "Subject (one line)" };
    private static readonly Option<string?> BodyFile = new("--body-file") { Description = "Plain-text body from this file ('-': standard input; default: standard input when piped)" };
    private static readonly Option<string?> HtmlFile = new("--html-file") { Description = "HTML body from this file" };
    private static readonly Option<string[]> Attach = new("--attach", "-a") { Description = "Attach a file (repeatable)" };
    private static readonly Option<string?> Sender = new("--sender") { Description = "Send as this user (administrators; a user always sends as themselves)" };
    private static readonly Option<string?> IdempotencyKey = new("--idempotency-key") { Description = "A repeated key returns the first message instead of queuing another" };
    private static readonly Option<MessagePriority?> Priority = new("--priority") { Description = "test, notification (default) or bulk" };
    private static readonly Option<DateTimeOffset?> SendAfter = new("--send-after") { Description = "Not before this time (ISO 8601)" };
    private static readonly Option<bool> Wait = new("--wait", "-w") { Description = "Wait until the message is sent, captured, failed or held (exit code 8 unless sent or captured)" };
    private static readonly Option<int> Timeout = new("--timeout") { Description = "Seconds --wait waits at most", DefaultValueFactory = _ => 120 };
    private static readonly Option<string?> TestTo = new("--to") { Description = "Where the test message goes", Required = true };
    private static readonly Option<string?> TestAttach = new("--attach", "-a") { Description = "Attach a file" };

    /// <summary><c>mailroom send</c>.</summary>
    public static Command CreateSend() => new Command("send", "Submit a message to the queue; the body comes from --body-file or standard input")
        .With(To, Cc, Bcc, Subject, BodyFile, HtmlFile, Attach, Sender, IdempotencyKey, Priority, SendAfter, Wait, Timeout).Runs(SendAsync);

    /// <summary><c>mailroom test</c>.</summary>
    public static Command CreateTest() => new Command("test", "Send a test message through the global profile or a user's settings (top priority)")
        .With(TestTo, SettingsCommands.User, Subject, BodyFile, TestAttach, Wait, Timeout).Runs(TestAsync);

    private static async Task<int> SendAsync(CliContext context)
    {
        var to = context.Get(To) ?? [];
        var html = context.Get(HtmlFile) is { } htmlPath ? await ReadTextAsync(context, htmlPath) : null;
        var text = context.Get(BodyFile) is { } bodyPath ? await ReadTextAsync(context, bodyPath)
            : Console.IsInputRedirected ? await Console.In.ReadToEndAsync(context.CancellationToken)
            : null;
        if (string.IsNullOrEmpty(text) && html is null) throw new CliUsageException(context.Text("cli.noBody"));
        var attachments = new List<AttachmentInput>();
        foreach (var path in context.Get(Attach) ?? []) attachments.Add(await ReadAttachmentAsync(context, path));
        var accepted = await context.Client.SubmitAsync(new SubmitMessageInput(
            context.Get(Sender), to, context.Get(Cc), context.Get(Bcc), context.Get(Subject), text, html,
            attachments, context.Get(IdempotencyKey), context.Get(SendAfter), context.Get(Priority)), context.CancellationToken);
        return await ReportAsync(context, accepted);
    }

    private static async Task<int> TestAsync(CliContext context)
    {
        var body = context.Get(BodyFile) is { } bodyPath ? await ReadTextAsync(context, bodyPath) : null;
        var attachment = context.Get(TestAttach) is { } path ? await ReadAttachmentAsync(context, path) : null;
        var accepted = await context.Client.SendTestMessageAsync(context.Get(SettingsCommands.User),
            new TestMessageInput(context.Get(TestTo), context.Get(Subject), body, attachment), context.CancellationToken);
        return await ReportAsync(context, accepted);
    }

    private static async Task<int> ReportAsync(CliContext context, MessageAcceptedView accepted)
    {
        if (!context.Get(Wait))
        {
            if (context.JsonOutput) context.WriteJson(accepted);
            else context.Out.WriteLine($"{accepted.Message} {accepted.Id} ({accepted.Status.Name()}{(accepted.Duplicate ? ", duplicate" : "")})");
            return ExitCodes.Ok;
        }
        var message = await WaitAsync(context, accepted.Id, TimeSpan.FromSeconds(context.Get(Timeout)));
        if (context.JsonOutput) context.WriteJson(message);
        else QueueCommands.WriteMessage(context, message);
        return message.Status is MessageStatus.Sent or MessageStatus.Captured
            ? ExitCodes.Ok
            : throw new CliUnsuccessfulException(context.Text("cli.messageFailed", ("id", message.Id), ("status", message.Status.Name()), ("reason", message.StatusReason)));
    }

    /// <summary>Follows a message until it is no longer waiting or sending, showing each change on stderr.</summary>
    private static async Task<MessageView> WaitAsync(CliContext context, string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        MessageStatus? shown = null;
        while (true)
        {
            var message = await context.Client.GetMessageAsync(id, context.CancellationToken);
            if (message.Status.IsFinal() || message.Status == MessageStatus.Held)
                return message;
            if (message.Status != shown) context.Progress(context.Text("cli.waiting", ("id", id), ("status", (shown = message.Status).Value.Name())));
            if (DateTime.UtcNow >= deadline)
                throw new CliUnsuccessfulException(context.Text("cli.waitTimeout", ("id", id), ("status", message.Status.Name()), ("seconds", (int)timeout.TotalSeconds)));
            await Task.Delay(TimeSpan.FromMilliseconds(300), context.CancellationToken);
        }
    }

    private static async Task<string> ReadTextAsync(CliContext context, string path)
    {
        if (path == "-") return await Console.In.ReadToEndAsync(context.CancellationToken);
        if (!File.Exists(path)) throw new CliUsageException(context.Text("cli.fileNotFound", ("path", path)));
        return await File.ReadAllTextAsync(path, context.CancellationToken);
    }

    private static async Task<AttachmentInput> ReadAttachmentAsync(CliContext context, string path)
    {
        if (!File.Exists(path)) throw new CliUsageException(context.Text("cli.fileNotFound", ("path", path)));
        if (!ContentTypes.TryGetContentType(path, out var contentType)) contentType = "application/octet-stream";
        var bytes = await File.ReadAllBytesAsync(path, context.CancellationToken);
        return new AttachmentInput(Path.GetFileName(path), contentType, Convert.ToBase64String(bytes));
    }

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
}
