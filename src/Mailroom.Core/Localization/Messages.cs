using System.Globalization;

namespace Mailroom.Core.Localization;

/// <summary>
/// Every sentence Mailroom shows a person, in English and Polish, keyed by a stable code.
/// Arguments are quoted by name: <c>{port}</c>.
/// </summary>
public static partial class Messages
{
    /// <summary>The languages Mailroom speaks.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "pl"];

    /// <summary>"pl" when <paramref name="acceptLanguage"/> prefers Polish, otherwise "en".</summary>
    public static string PickLanguage(string? acceptLanguage)
    {
        if (string.IsNullOrWhiteSpace(acceptLanguage)) return "en";
        foreach (var part in acceptLanguage.Split(','))
        {
            var tag = part.Split(';')[0].Trim().ToLowerInvariant();
            if (tag.StartsWith("pl", StringComparison.Ordinal)) return "pl";
            if (tag.StartsWith("en", StringComparison.Ordinal)) return "en";
        }
        return "en";
    }

    /// <summary>Renders <paramref name="code"/> in <paramref name="language"/>; an unknown code renders as itself.</summary>
    public static string Format(string code, string language, IReadOnlyDictionary<string, object?>? args = null)
    {
        var table = language == "pl" ? Polish : English;
        if (!table.TryGetValue(code, out var template) && !English.TryGetValue(code, out template))
            return code;
        if (args is null) return template;
        foreach (var (name, value) in args)
            template = template.Replace("{" + name + "}", Convert.ToString(value, CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return template;
    }

    /// <summary>True when both languages have a sentence for <paramref name="code"/>.</summary>
    public static bool IsKnown(string code) => English.ContainsKey(code) && Polish.ContainsKey(code);

    private static readonly Dictionary<string, string> English = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, string> Polish = new(StringComparer.Ordinal);

    // Each area keeps its sentences in its own partial file (MessagesValidation.cs, MessagesApi.cs, …).
    static Messages()
    {
        RegisterValidationMessages();
        RegisterApiMessages();
        RegisterConnectionCheckMessages();
        RegisterDeliveryMessages();
        RegisterMailMessages();
        RegisterUiMessages();
        RegisterPresetMessages();
        RegisterEventsMessages();
        RegisterBounceMessages();
        RegisterCliMessages();
        RegisterOAuthMessages();
        RegisterTemplateMessages();
        RegisterHardeningMessages();
    }

    static partial void RegisterValidationMessages();

    static partial void RegisterApiMessages();

    static partial void RegisterConnectionCheckMessages();

    static partial void RegisterDeliveryMessages();

    static partial void RegisterMailMessages();

    static partial void RegisterUiMessages();

    static partial void RegisterPresetMessages();
    static partial void RegisterEventsMessages();
    static partial void RegisterBounceMessages();
    static partial void RegisterCliMessages();
    static partial void RegisterOAuthMessages();
    static partial void RegisterTemplateMessages();
    static partial void RegisterHardeningMessages();

    /// <summary>Adds one message in both languages (called by the partial tables).</summary>
    private static void Add(string code, string english, string polish)
    {
        English.Add(code, english);
        Polish.Add(code, polish);
    }
}
