using System.CommandLine;
using System.Reflection;
using Mailroom.Core.Localization;

namespace Mailroom.Cli.Commands;

/// <summary>
/// <c>mailroom serve</c>: runs the server in this process with the same options tree as
/// appsettings.json and <c>Mailroom__…</c> variables. The named flags are shorthands for
/// configuration keys; any <c>--Mailroom:Section:Key value</c> is passed through as is.
/// </summary>
public static class ServeCommand
{
    private static readonly Option<string?> Urls = new("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:5080 (ASPNETCORE_URLS)" };
    private static readonly Option<string?> DataDirectory = new("--data-directory") { Description = "Mailroom:DataDirectory: database, keys, captured mail" };
    private static readonly Option<string?> Storage = new("--storage") { Description = "Mailroom:Storage:Provider: sqlite or postgresql (connection string: Mailroom__Storage__ConnectionString)" };
    private static readonly Option<bool> NoWorker = new("--no-worker") { Description = "Mailroom:Delivery:WorkerEnabled=false: accept mail, do not deliver" };
    private static readonly Option<string?> AdminEmail = new("--admin-email") { Description = "Mailroom:Bootstrap:AdminEmail: the first administrator's address" };

    /// <summary>The flag → configuration key map; also what docs/configuration.md lists.</summary>
    public static IReadOnlyList<(Option Option, string Key)> Shorthands { get; } =
    [
        (Urls, "urls"),
        (DataDirectory, "Mailroom:DataDirectory"),
        (Storage, "Mailroom:Storage:Provider"),
        (AdminEmail, "Mailroom:Bootstrap:AdminEmail"),
    ];

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("serve", "Run the Mailroom server (web UI, API, delivery). Other settings: --Mailroom:Section:Key value, Mailroom__Section__Key variables or appsettings.json")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.With(Urls, DataDirectory, Storage, NoWorker, AdminEmail);
        // No cancellation token: the server's own host handles Ctrl+C and SIGTERM with a graceful shutdown.
        command.SetAction(parse => RunAsync(parse));
        return command;
    }

    /// <summary>The server's arguments for a parsed <c>serve</c> command line.</summary>
    public static string[] ServerArguments(ParseResult parse)
    {
        var args = new List<string>();
        foreach (var (option, key) in Shorthands)
        {
            if (parse.GetValue((Option<string?>)option) is { } value) args.AddRange(["--" + key, value]);
        }
        if (parse.GetValue(NoWorker)) args.AddRange(["--Mailroom:Delivery:WorkerEnabled", "false"]);
        args.AddRange(parse.UnmatchedTokens);
        return args.ToArray();
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        // The server's Razor pages live in its assembly: name it as the application so they are found.
        string[] args = ["--applicationName", "Mailroom.Server", .. ServerArguments(parse)];
        var entry = typeof(Mailroom.Server.Hosting.MailroomHosting).Assembly.EntryPoint
            ?? throw new InvalidOperationException("Mailroom.Server has no entry point.");
        try
        {
            var result = entry.Invoke(null, [args]);
            if (result is Task task) await task;
            return ExitCodes.Ok;
        }
        catch (Exception ex)
        {
            var inner = ex is TargetInvocationException { InnerException: { } i } ? i : ex;
            // A start-up error (bad option, port taken, database unreachable): one line, then the hint.
            var language = Messages.PickLanguage(parse.GetValue(GlobalOptions.Language) ?? Environment.GetEnvironmentVariable("MAILROOM_LANG"));
            Console.Error.WriteLine(Messages.Format("cli.error", language, new Dictionary<string, object?> { ["message"] = inner.Message }));
            Console.Error.WriteLine(Messages.Format("cli.hint", language, new Dictionary<string, object?> { ["message"] = Messages.Format("cli.hint.serve", language) }));
            return ExitCodes.Failure;
        }
    }
}
