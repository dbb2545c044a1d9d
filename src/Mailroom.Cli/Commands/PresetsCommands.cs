using System.CommandLine;
using System.Text.Json;
using Mailroom.Client;

namespace Mailroom.Cli.Commands;

/// <summary><c>mailroom presets lookup</c>: which SMTP settings suit an address (catalog, MX, detection).</summary>
public static class PresetsCommands
{
    private static readonly Argument<string> Email = new("email") { Description = "The sender's address, e.g. anna@firma.pl" };
    private static readonly Option<bool> NoDetect = new("--no-detect") { Description = "Stop after the provider catalog and the MX records: probe no server" };

    /// <summary>The command group.</summary>
    public static Command Create() => new Command("presets", "Provider presets").With(
        new Command("lookup", "The SMTP settings for an address: host, port, encryption, authentication, login and why. Exit code 8 when nothing was found")
            .With(Email, NoDetect).Runs(LookupAsync));

    private static async Task<int> LookupAsync(CliContext context)
    {
        var detect = !context.Get(NoDetect);
        if (detect) context.Progress(context.Text("cli.presets.detecting", ("email", context.Get(Email))));
        var found = await context.Client.LookupPresetAsync(context.Get(Email)!, detect, context.CancellationToken);
        if (context.JsonOutput) context.WriteJson(found);
        else Write(context, found);
        return found.Settings?.Host is null ? throw new CliUnsuccessfulException(context.Text("cli.presets.nothing", ("email", found.Email))) : ExitCodes.Ok;
    }

    private static void Write(CliContext context, PresetLookupView found)
    {
        context.Out.WriteLine($"{found.Email}: {found.Provider?.Name ?? found.Domain} ({Name(found.Source)})");
        if (found.Settings is { } s)
        {
            context.Out.WriteLine($"  host:           {s.Host}");
            context.Out.WriteLine($"  port:           {s.Port}");
            context.Out.WriteLine($"  encryption:     {Name(s.Encryption)}");
            context.Out.WriteLine($"  authentication: {Name(s.Authentication)}");
            context.Out.WriteLine($"  login:          {s.Login}");
        }
        foreach (var sentence in found.Explanation) context.Out.WriteLine($"  - {sentence}");
    }

    /// <summary>An enum value as the API and `settings set` spell it (camelCase).</summary>
    private static string Name(Enum? value) =>
        value is null ? "-" : JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
