using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mailroom.Client;
using Mailroom.Core.Settings;

namespace Mailroom.Cli.Commands;

/// <summary><c>mailroom settings show|set|effective</c>: the global profile or a user's own (<c>--user</c>).</summary>
public static class SettingsCommands
{
    /// <summary>--user: a user's profile instead of the global one.</summary>
    public static readonly Option<string?> User = new("--user", "-u") { Description = "The user's own profile (default: the global profile; administrators)" };

    private static readonly Argument<string[]> Pairs = new("field=value")
    {
        Description = "Fields to change, e.g. host=smtp.example.com port=587 encryption=startTls; 'field=' inherits again",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private static readonly Option<bool> PasswordStdin = new("--password-stdin") { Description = "Read the SMTP password from standard input (never from the command line)" };

    /// <summary>The command group.</summary>
    public static Command Create() => new Command("settings", "Sender settings: the global profile or a user's own").With(
        new Command("show", "The profile as stored (passwords never shown)").With(User).Runs(ShowAsync),
        new Command("set", "Change fields of the profile; the others stay as they are").With(User, PasswordStdin, Pairs).Runs(SetAsync),
        new Command("effective", "What mail is sent with, each value with its source").With(User).Runs(EffectiveAsync));

    private static async Task<int> ShowAsync(CliContext context)
    {
        var profile = await context.Client.GetSettingsAsync(context.Get(User), context.CancellationToken);
        if (context.JsonOutput) context.WriteJson(profile);
        else WriteFields(context, JsonSerializer.SerializeToNode(profile, MailroomClient.Json)!.AsObject());
        return ExitCodes.Ok;
    }

    private static async Task<int> SetAsync(CliContext context)
    {
        var user = context.Get(User);
        var pairs = context.Get(Pairs) ?? [];
        var passwordFromStdin = context.Get(PasswordStdin);
        if (pairs.Length == 0 && !passwordFromStdin) throw new CliUsageException(context.Text("cli.setting.nothing"));
        var changes = ParsePairs(context, pairs);
        if (passwordFromStdin) changes["password"] = (await Console.In.ReadToEndAsync(context.CancellationToken)).TrimEnd('\r', '\n');

        // PUT replaces the whole profile: start from what is stored, so unnamed fields keep their values.
        var stored = await context.Client.GetSettingsAsync(user, context.CancellationToken);
        var profile = JsonSerializer.SerializeToNode(stored, MailroomClient.Json)!.AsObject();
        profile.Remove("hasPassword");
        foreach (var (field, value) in changes) profile[field] = value;
        var input = profile.Deserialize<SenderProfileInput>(MailroomClient.Json)!;

        var saved = await context.Client.PutSettingsAsync(user, input, context.CancellationToken);
        if (context.JsonOutput)
        {
            context.WriteJson(saved);
            return ExitCodes.Ok;
        }
        context.Out.WriteLine(saved.Message);
        foreach (var warning in saved.Warnings) context.Out.WriteLine($"  {warning.Field}: {warning.Message}");
        return ExitCodes.Ok;
    }

    private static async Task<int> EffectiveAsync(CliContext context)
    {
        var effective = await context.Client.GetEffectiveSettingsAsync(context.Get(User), context.CancellationToken);
        if (context.JsonOutput)
        {
            context.WriteJson(effective);
            return ExitCodes.Ok;
        }
        var width = effective.Fields.Keys.Max(k => k.Length);
        foreach (var (field, value) in effective.Fields)
            context.Out.WriteLine($"{field.PadRight(width)}  {Show(value.Value)}  ({JsonNamingPolicy.CamelCase.ConvertName(value.Source.ToString())})");
        return ExitCodes.Ok;
    }

    /// <summary>field=value pairs checked against the profile's fields and their types (a mistake is a usage error naming the field).</summary>
    private static Dictionary<string, JsonNode?> ParsePairs(CliContext context, IEnumerable<string> pairs)
    {
        var fields = typeof(SenderProfileInput).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), p => p, StringComparer.OrdinalIgnoreCase);
        var changes = new Dictionary<string, JsonNode?>();
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0) throw new CliUsageException(context.Text("cli.setting.format", ("value", pair)));
            var (name, text) = (pair[..equals].Trim(), pair[(equals + 1)..]);
            if (!fields.TryGetValue(name, out var property))
                throw new CliUsageException(context.Text("cli.setting.unknown", ("field", name), ("known", string.Join(", ", fields.Keys))));
            var field = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (field == "password")
            {
                if (text.Length > 0) throw new CliUsageException(context.Text("cli.setting.passwordInArgs"));
                changes[field] = "";
                continue;
            }
            changes[field] = ToJson(context, field, property.PropertyType, text);
        }
        return changes;
    }

    private static JsonNode? ToJson(CliContext context, string field, Type type, string text)
    {
        if (text.Length == 0) return null;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        JsonNode? Wrong(string typeName) => throw new CliUsageException(context.Text("cli.setting.wrongType", ("field", field), ("type", typeName), ("value", text)));
        if (target == typeof(bool)) return bool.TryParse(text, out var b) ? JsonValue.Create(b) : Wrong("true/false");
        if (target == typeof(int)) return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? JsonValue.Create(i) : Wrong("a whole number");
        if (target.IsEnum)
        {
            var names = Enum.GetNames(target).Select(JsonNamingPolicy.CamelCase.ConvertName).ToArray();
            var match = names.FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            return match is not null ? JsonValue.Create(match) : Wrong(string.Join(" | ", names));
        }
        return JsonValue.Create(text);
    }

    private static void WriteFields(CliContext context, JsonObject fields)
    {
        var width = fields.Max(f => f.Key.Length);
        foreach (var (field, value) in fields) context.Out.WriteLine($"{field.PadRight(width)}  {Show(value)}");
    }

    private static string Show(object? value) => value switch
    {
        null => "-",
        JsonElement { ValueKind: JsonValueKind.Null } => "-",
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToString() ?? "-",
    };
}
