using Dapper;
using Mailroom.Core.Storage;
using Mailroom.Core.Templates;
using Npgsql;

namespace Mailroom.Storage.PostgreSql;

/// <summary>Templates (every version) and recipients' languages in PostgreSQL.</summary>
public sealed class PostgreSqlTemplateStore(PostgreSqlDatabase database) : ITemplateStore
{
    private const string Columns = """
        name AS Name, version AS Version, description AS Description, languages_json::text AS LanguagesJson,
        sample_data_json AS SampleDataJson, created_by AS CreatedBy, created_at AS CreatedAt
        """;

    /// <inheritdoc />
    public async Task<MessageTemplate> SaveAsync(MessageTemplate template, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            var version = await connection.ExecuteScalarAsync<int>(
                """
                INSERT INTO templates (name, version, description, languages_json, sample_data_json, created_by, created_at)
                VALUES (@Name, (SELECT COALESCE(MAX(version), 0) + 1 FROM templates WHERE name = @Name), @Description, @languages::jsonb, @SampleDataJson, @CreatedBy, @at)
                RETURNING version
                """,
                new { template.Name, template.Description, languages = TemplateDocuments.SerializeLanguages(template), template.SampleDataJson, template.CreatedBy, at = template.CreatedAt.ToUniversalTime() });
            return template with { Version = version };
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DuplicateException("version", $"Template '{template.Name}' was saved by someone else at the same moment.");
        }
    }

    /// <inheritdoc />
    public async Task<MessageTemplate?> GetAsync(string name, int? version, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TemplateRow>(
            $"SELECT {Columns} FROM templates WHERE name = @name AND (@version::integer IS NULL OR version = @version) ORDER BY version DESC LIMIT 1",
            new { name, version });
        return row?.ToTemplate();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MessageTemplate>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<TemplateRow>(
            $"SELECT {Columns} FROM templates t WHERE version = (SELECT MAX(version) FROM templates WHERE name = t.name) ORDER BY name");
        return rows.Select(r => r.ToTemplate()).ToArray();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> ListVersionsAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<int>("SELECT version FROM templates WHERE name = @name ORDER BY version DESC", new { name })).ToArray();
    }

    /// <inheritdoc />
    public async Task<string?> GetRecipientLanguageAsync(string email, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>("SELECT language FROM recipient_languages WHERE email = @email", new { email = email.ToLowerInvariant() });
    }

    /// <inheritdoc />
    public async Task SetRecipientLanguageAsync(string email, string language, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO recipient_languages (email, language, updated_at) VALUES (@email, @language, @at)
            ON CONFLICT (email) DO UPDATE SET language = excluded.language, updated_at = excluded.updated_at
            """,
            new { email = email.ToLowerInvariant(), language, at = now.ToUniversalTime() });
    }

    private sealed record TemplateRow(string Name, int Version, string? Description, string LanguagesJson, string? SampleDataJson, string? CreatedBy, DateTime CreatedAt)
    {
        public MessageTemplate ToTemplate() =>
            TemplateDocuments.ToTemplate(Name, Version, Description, LanguagesJson, SampleDataJson, CreatedBy, PostgreSqlTime.Read(CreatedAt));
    }
}
