using System.Text.Json;
using HandlebarsDotNet;
using HandlebarsDotNet.Compiler;
using Mailroom.Core.Settings.Validation;

namespace Mailroom.Core.Templates;

/// <summary>A template's parts rendered for one recipient.</summary>
/// <param name="Subject">The subject (one line).</param>
/// <param name="Text">The plain-text body, or null.</param>
/// <param name="Html">The HTML body, or null.</param>
public sealed record RenderedContent(string Subject, string? Text, string? Html);

/// <summary>
/// A template version compiled once (Handlebars.Net), then rendered for any number of recipients.
/// The HTML body escapes every <c>{{placeholder}}</c>; subject and text are not HTML, so they are
/// not escaped. A placeholder with no value in the data is an error (<see cref="TemplateCodes.MissingField"/>),
/// never an empty string sent to a customer.
/// </summary>
public sealed class CompiledTemplate
{
    private static readonly IHandlebars Html = Handlebars.Create(new HandlebarsConfiguration { ThrowOnUnresolvedBindingExpression = true });
    private static readonly IHandlebars Plain = Handlebars.Create(new HandlebarsConfiguration { ThrowOnUnresolvedBindingExpression = true, NoEscape = true });

    private readonly Dictionary<string, (HandlebarsTemplate<object, object> Subject, HandlebarsTemplate<object, object>? Text, HandlebarsTemplate<object, object>? Html)> _parts = [];

    private CompiledTemplate(MessageTemplate template) => Template = template;

    /// <summary>The version compiled.</summary>
    public MessageTemplate Template { get; }

    /// <summary>Compiles every part of every language; syntax errors are returned as issues naming the part (<c>pl.subject</c>, …).</summary>
    public static (CompiledTemplate? Compiled, IReadOnlyList<ValidationIssue> Issues) Compile(MessageTemplate template)
    {
        var compiled = new CompiledTemplate(template);
        var issues = new List<ValidationIssue>();
        foreach (var (language, content) in template.Languages)
        {
            var subject = CompilePart(Plain, content.Subject, $"{language}.subject", issues);
            var text = content.Text is null ? null : CompilePart(Plain, content.Text, $"{language}.text", issues);
            var html = content.Html is null ? null : CompilePart(Html, content.Html, $"{language}.html", issues);
            if (subject is not null) compiled._parts[language] = (subject, text, html);
        }
        return issues.Count > 0 ? (null, issues) : (compiled, issues);
    }

    private static HandlebarsTemplate<object, object>? CompilePart(IHandlebars handlebars, string source, string field, List<ValidationIssue> issues)
    {
        try
        {
            var template = handlebars.Compile(source);
            return template;
        }
        catch (Exception e) when (e is HandlebarsException or InvalidOperationException or ArgumentException)
        {
            issues.Add(TemplateCodes.Issue(field, TemplateCodes.Syntax, ("detail", FirstLine(e.Message))));
            return null;
        }
    }

    /// <summary>True when the template has content in <paramref name="language"/>.</summary>
    public bool Has(string language) => _parts.ContainsKey(language);

    /// <summary>Renders <paramref name="language"/> with <paramref name="data"/> (from <see cref="TemplateData.FromJson"/>).</summary>
    public (RenderedContent? Content, IReadOnlyList<ValidationIssue> Issues) Render(string language, object data)
    {
        if (!_parts.TryGetValue(language, out var parts))
            return (null, [TemplateCodes.Issue("language", TemplateCodes.LanguageMissing, ("value", language), ("template", Template.Name))]);
        var issues = new List<ValidationIssue>();
        var subject = RenderPart(parts.Subject, data, $"{language}.subject", issues);
        var text = parts.Text is null ? null : RenderPart(parts.Text, data, $"{language}.text", issues);
        var html = parts.Html is null ? null : RenderPart(parts.Html, data, $"{language}.html", issues);
        if (subject is not null && subject.Any(c => c is '\r' or '\n'))
            issues.Add(TemplateCodes.Issue("subject", TemplateCodes.SubjectLineBreak));
        if (issues.Count > 0) return (null, issues.DistinctBy(i => (i.Code, i.Field)).ToArray());
        return (new RenderedContent(subject!.Trim(), text, html), []);
    }

    private static string? RenderPart(HandlebarsTemplate<object, object> part, object data, string field, List<ValidationIssue> issues)
    {
        try
        {
            return part(data);
        }
        catch (HandlebarsUndefinedBindingException e)
        {
            issues.Add(TemplateCodes.Issue("data." + e.Path, TemplateCodes.MissingField, ("name", e.Path)));
            return null;
        }
        catch (Exception e) when (e is HandlebarsException or InvalidOperationException or ArgumentException or FormatException)
        {
            issues.Add(TemplateCodes.Issue(field, TemplateCodes.RenderFailed, ("detail", FirstLine(e.Message))));
            return null;
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}

/// <summary>Turns JSON data into what Handlebars reads: objects as dictionaries, arrays as lists, values as text.</summary>
public static class TemplateData
{
    /// <summary>An empty object.</summary>
    public static IReadOnlyDictionary<string, object?> Empty { get; } = new Dictionary<string, object?>();

    /// <summary>
    /// <paramref name="element"/> as Handlebars data. Numbers keep their JSON text (no culture),
    /// <c>null</c> becomes an empty string (the field is present, only empty).
    /// </summary>
    public static object FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => "",
    };

    /// <summary>Parses <paramref name="json"/> (must be an object); null or blank is an empty object.</summary>
    public static (object? Data, ValidationIssue? Issue) Parse(string? json, string field = "data")
    {
        if (string.IsNullOrWhiteSpace(json)) return (new Dictionary<string, object>(), null);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return (null, TemplateCodes.Issue(field, TemplateCodes.DataNotObject));
            return (FromJson(document.RootElement), null);
        }
        catch (JsonException)
        {
            return (null, TemplateCodes.Issue(field, TemplateCodes.DataNotObject));
        }
    }
}
