namespace Mailroom.Core.Templates;

/// <summary>One language of a template: the subject and the bodies, with Handlebars placeholders.</summary>
/// <param name="Subject">The subject line; rendered without HTML escaping, and refused if it renders with a line break.</param>
/// <param name="Text">The plain-text body (not escaped).</param>
/// <param name="Html">The HTML body: every <c>{{placeholder}}</c> is HTML-escaped; <c>{{{triple}}}</c> inserts raw HTML.</param>
public sealed record TemplateContent(string Subject, string? Text, string? Html);

/// <summary>
/// One saved version of a named template. Every save makes a new version; older versions stay, so a
/// message can always say which version it was rendered from.
/// </summary>
public sealed record MessageTemplate
{
    /// <summary>The template's name: lower-case letters, digits, <c>-</c>, <c>_</c> and <c>.</c>.</summary>
    public required string Name { get; init; }

    /// <summary>1 for the first save, one more for every later save.</summary>
    public required int Version { get; init; }

    /// <summary>A human description.</summary>
    public string? Description { get; init; }

    /// <summary>The content per language (<c>en</c> and <c>pl</c>).</summary>
    public required IReadOnlyDictionary<string, TemplateContent> Languages { get; init; }

    /// <summary>JSON object used by the preview when no data is given.</summary>
    public string? SampleDataJson { get; init; }

    /// <summary>Who saved this version (a user id), or null for Mailroom's built-in templates.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>When this version was saved.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Which template version a message was rendered from; recorded with the message's draft.</summary>
/// <param name="Name">The template's name.</param>
/// <param name="Version">The version used.</param>
/// <param name="Language">The language used.</param>
public sealed record TemplateReference(string Name, int Version, string Language);

/// <summary>Templates (every version) and the languages recipients are known to read. Implemented by each backend.</summary>
public interface ITemplateStore
{
    /// <summary>Stores <paramref name="template"/> as the next version of its name (its Version is ignored) and returns it as saved.</summary>
    /// <exception cref="Storage.DuplicateException">Two saves of the same name raced; try again.</exception>
    Task<MessageTemplate> SaveAsync(MessageTemplate template, CancellationToken cancellationToken = default);

    /// <summary>One version of a template (null: the newest), or null when there is none.</summary>
    Task<MessageTemplate?> GetAsync(string name, int? version, CancellationToken cancellationToken = default);

    /// <summary>The newest version of every template, by name.</summary>
    Task<IReadOnlyList<MessageTemplate>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The version numbers of one template, newest first.</summary>
    Task<IReadOnlyList<int>> ListVersionsAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The language <paramref name="email"/> is known to read (case-insensitive), or null.</summary>
    Task<string?> GetRecipientLanguageAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>Remembers the language <paramref name="email"/> reads.</summary>
    Task SetRecipientLanguageAsync(string email, string language, DateTimeOffset now, CancellationToken cancellationToken = default);
}
