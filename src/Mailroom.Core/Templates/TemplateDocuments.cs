using Mailroom.Core.Storage;

namespace Mailroom.Core.Templates;

/// <summary>How every backend stores a template's languages (one JSON column) and reads a row back.</summary>
public static class TemplateDocuments
{
    /// <summary>The languages as the JSON column holds them.</summary>
    public static string SerializeLanguages(MessageTemplate template) => StoredDocuments.Serialize(template.Languages);

    /// <summary>A stored row read back.</summary>
    public static MessageTemplate ToTemplate(string name, int version, string? description, string languagesJson, string? sampleDataJson, string? createdBy, DateTimeOffset createdAt) => new()
    {
        Name = name, Version = version, Description = description,
        Languages = StoredDocuments.Deserialize<Dictionary<string, TemplateContent>>(languagesJson) ?? [],
        SampleDataJson = sampleDataJson, CreatedBy = createdBy, CreatedAt = createdAt,
    };
}
