using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Mailroom.Core.Mail;
using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Templates;

/// <summary>Template settings (<c>Mailroom:Templates</c>).</summary>
public sealed class TemplateOptions
{
    /// <summary>The organisation's language: used when a notification names none and the recipient's is not known ("pl" or "en").</summary>
    public string DefaultLanguage { get; set; } = "pl";
}

/// <summary>What a person types to save a template.</summary>
/// <param name="Description">Optional description.</param>
/// <param name="Languages">Content per language; both <c>en</c> and <c>pl</c> are required.</param>
/// <param name="SampleDataJson">Optional JSON object for the preview.</param>
public sealed record TemplateInput(string? Description, IReadOnlyDictionary<string, TemplateContent?>? Languages, string? SampleDataJson);

/// <summary>Saving (as a new version), finding (built-ins included), previewing and rendering templates into message drafts.</summary>
public sealed partial class TemplateService(ITemplateStore store, TimeProvider clock, TemplateOptions options)
{
    private readonly ConcurrentDictionary<(string, int), CompiledTemplate> _compiled = new();

    /// <summary>The organisation's default language.</summary>
    public string DefaultLanguage => options.DefaultLanguage;

    /// <summary>Validates <paramref name="input"/> (name, both languages, Handlebars syntax, sample data) and saves it as the next version.</summary>
    public async Task<(MessageTemplate? Saved, IReadOnlyList<ValidationIssue> Issues)> SaveAsync(string name, TemplateInput input, string? userId, CancellationToken cancellationToken = default)
    {
        var issues = new List<ValidationIssue>();
        if (!IsValidName(name)) issues.Add(TemplateCodes.Issue("name", TemplateCodes.NameInvalid, ("value", name)));
        var languages = new Dictionary<string, TemplateContent>();
        foreach (var language in Localization.Messages.Languages)
        {
            var content = input.Languages?.GetValueOrDefault(language);
            if (string.IsNullOrWhiteSpace(content?.Subject)) issues.Add(TemplateCodes.Issue($"{language}.subject", TemplateCodes.SubjectRequired));
            if (string.IsNullOrWhiteSpace(content?.Text) && string.IsNullOrWhiteSpace(content?.Html))
                issues.Add(TemplateCodes.Issue($"{language}.text", TemplateCodes.BodyRequired));
            if (content is not null)
                languages[language] = new TemplateContent(content.Subject?.Trim() ?? "", NullIfBlank(content.Text), NullIfBlank(content.Html));
        }
        foreach (var extra in input.Languages?.Keys.Except(Localization.Messages.Languages) ?? [])
            issues.Add(TemplateCodes.Issue("languages", TemplateCodes.LanguageUnknown, ("value", extra)));
        var (_, dataIssue) = TemplateData.Parse(input.SampleDataJson, "sampleData");
        if (dataIssue is not null) issues.Add(dataIssue);
        var template = new MessageTemplate
        {
            Name = name, Version = 0, Description = NullIfBlank(input.Description), Languages = languages,
            SampleDataJson = NullIfBlank(input.SampleDataJson), CreatedBy = userId, CreatedAt = clock.GetUtcNow(),
        };
        if (issues.Count == 0) issues.AddRange(CompiledTemplate.Compile(template).Issues);
        if (issues.Count > 0) return (null, issues);
        await EnsureBuiltInSavedAsync(name, cancellationToken); // a built-in's first own save is version 2, after the built-in 1
        return (await store.SaveAsync(template, cancellationToken), []);
    }

    /// <summary>A template version (null: newest), built-ins included; null when there is no such template.</summary>
    public async Task<MessageTemplate?> GetAsync(string name, int? version, CancellationToken cancellationToken = default)
    {
        var stored = await store.GetAsync(name, version, cancellationToken);
        if (stored is not null || !BuiltInTemplates.All.ContainsKey(name)) return stored;
        await EnsureBuiltInSavedAsync(name, cancellationToken);
        return await store.GetAsync(name, version, cancellationToken);
    }

    /// <summary>The newest version of every template, built-ins included, by name.</summary>
    public async Task<IReadOnlyList<MessageTemplate>> ListAsync(CancellationToken cancellationToken = default)
    {
        var stored = await store.ListAsync(cancellationToken);
        return stored.Concat(BuiltInTemplates.All.Values.Where(b => stored.All(s => s.Name != b.Name)))
            .OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The version numbers of a template, newest first.</summary>
    public Task<IReadOnlyList<int>> ListVersionsAsync(string name, CancellationToken cancellationToken = default) =>
        store.ListVersionsAsync(name, cancellationToken);

    /// <summary>A template version compiled (cached: versions never change), or the reason it cannot be used.</summary>
    public async Task<(CompiledTemplate? Compiled, IReadOnlyList<ValidationIssue> Issues)> CompileAsync(string name, int? version, CancellationToken cancellationToken = default)
    {
        var template = await GetAsync(name, version, cancellationToken);
        if (template is null)
            return (null, [TemplateCodes.Issue("template", TemplateCodes.NotFound, ("value", version is null ? name : $"{name} v{version}"))]);
        if (_compiled.TryGetValue((template.Name, template.Version), out var cached)) return (cached, []);
        var (compiled, issues) = CompiledTemplate.Compile(template);
        if (compiled is not null) _compiled[(template.Name, template.Version)] = compiled;
        return (compiled, issues);
    }

    /// <summary>Renders a template with <paramref name="dataJson"/> (null: the template's sample data) without sending anything.</summary>
    public async Task<(RenderedContent? Content, MessageTemplate? Template, IReadOnlyList<ValidationIssue> Issues)> PreviewAsync(
        string name, int? version, string language, string? dataJson, CancellationToken cancellationToken = default)
    {
        if (!Localization.Messages.Languages.Contains(language))
            return (null, null, [TemplateCodes.Issue("language", TemplateCodes.LanguageUnknown, ("value", language))]);
        var (compiled, issues) = await CompileAsync(name, version, cancellationToken);
        if (compiled is null) return (null, null, issues);
        var (data, dataIssue) = TemplateData.Parse(dataJson ?? compiled.Template.SampleDataJson);
        if (dataIssue is not null) return (null, compiled.Template, [dataIssue]);
        var (content, renderIssues) = compiled.Render(language, data!);
        return (content, compiled.Template, renderIssues);
    }

    /// <summary>
    /// The language a message to <paramref name="recipient"/> is written in: <paramref name="requested"/> when given,
    /// otherwise the language the recipient is known to read, otherwise the organisation's default.
    /// An unknown requested language is an issue.
    /// </summary>
    public async Task<(string? Language, ValidationIssue? Issue)> ResolveLanguageAsync(string? requested, string? recipient, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrWhiteSpace(requested))
        {
            var normalized = requested.Trim().ToLowerInvariant();
            return Localization.Messages.Languages.Contains(normalized)
                ? (normalized, null)
                : (null, TemplateCodes.Issue("language", TemplateCodes.LanguageUnknown, ("value", requested)));
        }
        if (!string.IsNullOrWhiteSpace(recipient) && await store.GetRecipientLanguageAsync(recipient.Trim(), cancellationToken) is { } known)
            return (known, null);
        return (options.DefaultLanguage, null);
    }

    /// <summary>Remembers the language a recipient reads (used when a later notification names none).</summary>
    public Task RememberRecipientLanguageAsync(string recipient, string language, CancellationToken cancellationToken = default) =>
        store.SetRecipientLanguageAsync(recipient.Trim(), language, clock.GetUtcNow(), cancellationToken);

    /// <summary>
    /// Renders <paramref name="template"/> for one recipient into a draft that records the template
    /// version. The sender's signature and BCC are not added here: delivery adds them to every message
    /// (<see cref="Delivery.MimeMessageBuilder"/>), so a settings change reaches queued mail too.
    /// Rendering problems come back as issues; the draft itself is validated when it is queued.
    /// </summary>
    public static (MessageDraft? Draft, IReadOnlyList<ValidationIssue> Issues) Compose(
        CompiledTemplate template, string language, string recipient, object data, string? senderUserId,
        IReadOnlyList<MessageAttachment> attachments, MessagePriority priority)
    {
        var (content, issues) = template.Render(language, data);
        if (content is null) return (null, issues);
        return (new MessageDraft
        {
            SenderUserId = senderUserId,
            To = [recipient],
            Subject = content.Subject,
            TextBody = content.Text,
            HtmlBody = content.Html,
            Attachments = attachments,
            Priority = priority,
            Template = new TemplateReference(template.Template.Name, template.Template.Version, language),
        }, []);
    }

    private async Task EnsureBuiltInSavedAsync(string name, CancellationToken cancellationToken)
    {
        if (!BuiltInTemplates.All.TryGetValue(name, out var builtIn)) return;
        if (await store.GetAsync(name, 1, cancellationToken) is not null) return;
        try
        {
            await store.SaveAsync(builtIn with { CreatedAt = clock.GetUtcNow() }, cancellationToken);
        }
        catch (DuplicateException)
        {
            // Another request (or node) saved it at the same moment: version 1 exists either way.
        }
    }

    /// <summary>True for 1–100 characters of lower-case letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, starting with a letter or digit.</summary>
    public static bool IsValidName(string? name) => name is not null && NamePattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,99}$")]
    private static partial Regex NamePattern();

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
