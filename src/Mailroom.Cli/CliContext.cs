using System.CommandLine;
using System.Net;
using System.Text.Json;
using Mailroom.Client;
using Mailroom.Core.Localization;

namespace Mailroom.Cli;

/// <summary>The options every command understands: where the server is, the key, the output form and language.</summary>
public static class GlobalOptions
{
    /// <summary>The server used when neither --server nor MAILROOM_SERVER says otherwise.</summary>
    public const string DefaultServer = "http://127.0.0.1:5080";

    /// <summary>--server (MAILROOM_SERVER).</summary>
    public static readonly Option<string?> Server = new("--server")
    {
        Description = $"The Mailroom server's address (default: MAILROOM_SERVER, else {DefaultServer})",
        Recursive = true,
    };

    /// <summary>--api-key (MAILROOM_API_KEY; prefer the variable: arguments are visible to other users).</summary>
    public static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = "API key (default: MAILROOM_API_KEY; prefer the variable, arguments are visible in the process list)",
        Recursive = true,
    };

    /// <summary>--json: machine-readable output on stdout.</summary>
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON for scripts instead of text",
        Recursive = true,
    };

    /// <summary>--lang en|pl (MAILROOM_LANG).</summary>
    public static readonly Option<string?> Language = new("--lang")
    {
        Description = "Language of messages: en or pl (default: MAILROOM_LANG, else en)",
        Recursive = true,
    };

    /// <summary>Adds the global options to the root command.</summary>
    public static void AddTo(Command root)
    {
        root.Options.Add(Server);
        root.Options.Add(ApiKey);
        root.Options.Add(Json);
        root.Options.Add(Language);
    }
}

/// <summary>One command's run: its parsed options, the output, and a client for the server.</summary>
public sealed class CliContext
{
    private MailroomClient? _client;

    private CliContext(ParseResult parse, CancellationToken cancellationToken)
    {
        Parse = parse;
        CancellationToken = cancellationToken;
        JsonOutput = parse.GetValue(GlobalOptions.Json);
        Language = Messages.PickLanguage(parse.GetValue(GlobalOptions.Language) ?? Environment.GetEnvironmentVariable("MAILROOM_LANG"));
    }

    /// <summary>The parsed command line.</summary>
    public ParseResult Parse { get; }

    /// <summary>Ctrl+C.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>True with --json.</summary>
    public bool JsonOutput { get; }

    /// <summary>"en" or "pl".</summary>
    public string Language { get; }

    /// <summary>Standard output (results).</summary>
    public TextWriter Out { get; } = Console.Out;

    /// <summary>Standard error (errors, hints, progress).</summary>
    public TextWriter Error { get; } = Console.Error;

    /// <summary>The value of an option or argument of this command.</summary>
    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    /// <summary>The value of an argument of this command.</summary>
    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);

    /// <summary>A sentence in the chosen language.</summary>
    public string Text(string code, params (string Name, object? Value)[] args) =>
        Messages.Format(code, Language, args.ToDictionary(a => a.Name, a => a.Value));

    /// <summary>The client for the server, authenticated with the API key (required).</summary>
    public MailroomClient Client => _client ??= CreateClient(requireKey: true);

    /// <summary>The client without requiring a key (health).</summary>
    public MailroomClient AnonymousClient() => _client ??= CreateClient(requireKey: false);

    private MailroomClient CreateClient(bool requireKey)
    {
        var server = Parse.GetValue(GlobalOptions.Server) ?? Environment.GetEnvironmentVariable("MAILROOM_SERVER") ?? GlobalOptions.DefaultServer;
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new CliUsageException(Text("cli.badServer", ("value", server)));
        var key = Parse.GetValue(GlobalOptions.ApiKey) ?? Environment.GetEnvironmentVariable("MAILROOM_API_KEY");
        if (string.IsNullOrWhiteSpace(key))
        {
            if (requireKey) throw new MailroomApiException(HttpStatusCode.Unauthorized, Text("cli.noApiKey"), "cli.noApiKey", []);
            key = null;
        }
        return new MailroomClient(uri, key, Language);
    }

    /// <summary>Writes <paramref name="value"/> as indented JSON (the API's own shape) on stdout.</summary>
    public void WriteJson(object? value) =>
        Out.WriteLine(JsonSerializer.Serialize(value, value?.GetType() ?? typeof(object), Indented));

    /// <summary>A progress line on stderr (never in the way of --json on stdout).</summary>
    public void Progress(string line)
    {
        if (!JsonOutput || !Console.IsErrorRedirected) Error.WriteLine(line);
    }

    private static readonly JsonSerializerOptions Indented = new(MailroomClient.Json) { WriteIndented = true };

    /// <summary>Runs <paramref name="run"/>, turning every failure into one line, a hint and a documented exit code.</summary>
    public static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken, Func<CliContext, Task<int>> run)
    {
        var context = new CliContext(parse, cancellationToken);
        try
        {
            return await run(context);
        }
        catch (CliUsageException ex)
        {
            return context.Fail(ExitCodes.Usage, ex.Message, context.Text("cli.hint.usage", ("command", CommandPath(parse))));
        }
        catch (CliUnsuccessfulException ex)
        {
            return context.Fail(ExitCodes.Unsuccessful, ex.Message, null);
        }
        catch (MailroomUnreachableException ex)
        {
            return context.Fail(ExitCodes.Unreachable, ex.Message, context.Text("cli.hint.unreachable"));
        }
        catch (MailroomApiException ex)
        {
            var (code, hint) = ex.StatusCode switch
            {
                HttpStatusCode.BadRequest => (ExitCodes.Validation, context.Text("cli.hint.validation")),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => (ExitCodes.Auth, context.Text("cli.hint.auth")),
                HttpStatusCode.NotFound => (ExitCodes.NotFound, context.Text("cli.hint.notFound")),
                HttpStatusCode.Conflict => (ExitCodes.Conflict, context.Text("cli.hint.conflict", ("id", parse.Tokens.LastOrDefault()?.Value))),
                _ => (ExitCodes.Failure, context.Text("cli.hint.server")),
            };
            // The server's 401 says only "Unauthorized": say which key was refused, in the chosen language.
            var message = ex.StatusCode == HttpStatusCode.Unauthorized && ex.Code is null ? context.Text("cli.unauthorized") : ex.Message;
            return context.Fail(code, message, hint, (int)ex.StatusCode, ex.Code, ex.Issues);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 130;
        }
    }

    /// <summary>Reports the parser's errors as usage errors (exit code 2).</summary>
    public static int ReportUsageErrors(ParseResult parse)
    {
        var context = new CliContext(parse, CancellationToken.None);
        foreach (var error in parse.Errors.Skip(1)) context.Error.WriteLine(context.Text("cli.error", ("message", error.Message)));
        return context.Fail(ExitCodes.Usage, parse.Errors[0].Message, context.Text("cli.hint.usage", ("command", CommandPath(parse))));
    }

    /// <summary>"mailroom queue show" for the hint.</summary>
    public static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command is RootCommand ? "mailroom" : result.Command.Name);
        return string.Join(' ', names);
    }

    private int Fail(int exitCode, string message, string? hint, int? status = null, string? code = null, IReadOnlyList<IssueView>? issues = null)
    {
        // One clear line (plus one per refused field), then what to do about it.
        Error.WriteLine(Text("cli.error", ("message", message)));
        foreach (var issue in issues ?? [])
            Error.WriteLine($"  {issue.Field}: {issue.Message}");
        if (hint is not null) Error.WriteLine(Text("cli.hint", ("message", hint)));
        // An unsuccessful outcome already printed its result (the report, the message): no second JSON document.
        if (JsonOutput && exitCode != ExitCodes.Unsuccessful)
            WriteJson(new { error = new { exitCode, status, code, message, issues = issues ?? [] } });
        return exitCode;
    }
}

/// <summary>Wiring a command's action through <see cref="CliContext.RunAsync"/>.</summary>
public static class CommandExtensions
{
    /// <summary>Sets the command's action; failures become a line, a hint and an exit code.</summary>
    public static Command Runs(this Command command, Func<CliContext, Task<int>> run)
    {
        command.SetAction((parse, ct) => CliContext.RunAsync(parse, ct, run));
        return command;
    }

    /// <summary>Adds options and arguments in one go.</summary>
    public static Command With(this Command command, params Symbol[] symbols)
    {
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option: command.Options.Add(option); break;
                case Argument argument: command.Arguments.Add(argument); break;
                case Command sub: command.Subcommands.Add(sub); break;
            }
        }
        return command;
    }
}
