using System.CommandLine;
using Mailroom.Core.Delivery.ConnectionCheck;

namespace Mailroom.Cli.Commands;

/// <summary><c>mailroom check</c>: the connection check transcript of the global profile or a user's settings; sends nothing.</summary>
public static class CheckCommand
{
    /// <summary>The command.</summary>
    public static Command Create() => new Command("check", "Check the SMTP server step by step (DNS, connect, TLS, login); sends nothing. Exit code 8 when a step fails")
        .With(SettingsCommands.User).Runs(RunAsync);

    private static async Task<int> RunAsync(CliContext context)
    {
        var user = context.Get(SettingsCommands.User);
        context.Progress(context.Text("cli.checking", ("target", user ?? "global")));
        var report = await context.Client.CheckConnectionAsync(user, null, context.CancellationToken);
        if (context.JsonOutput) context.WriteJson(report);
        else Write(context, report);
        return report.Status == ConnectionCheckStatus.Failed ? throw new CliUnsuccessfulException(context.Text("cli.checkFailed")) : ExitCodes.Ok;
    }

    private static void Write(CliContext context, LocalizedConnectionCheck report)
    {
        context.Out.WriteLine($"{report.Endpoint}  encryption={report.Encryption}  authentication={report.Authentication}");
        foreach (var step in report.Steps)
        {
            var mark = step.Status switch
            {
                ConnectionCheckStatus.Ok => "ok  ",
                ConnectionCheckStatus.Warning => "warn",
                ConnectionCheckStatus.Failed => "FAIL",
                _ => "skip",
            };
            context.Out.WriteLine($"[{mark}] {step.Name} ({step.DurationMs} ms)");
            foreach (var (name, value) in step.Details) context.Out.WriteLine($"         {name}: {value}");
            foreach (var hint in step.Hints) context.Out.WriteLine($"         -> {hint.Message}");
        }
        context.Out.WriteLine(report.Summary);
    }
}
