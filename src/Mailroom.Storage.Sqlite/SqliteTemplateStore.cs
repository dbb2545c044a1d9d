using Dapper;
using Mailroom.Core.Storage;
using Mailroom.Core.Templates;
using Microsoft.Data.Sqlite;

namespace Mailroom.Storage.Sqlite;

/// <summary>Templates (every version) and recipients' languages in SQLite.</summary>
public sealed class SqliteTemplateStore(SqliteDatabase database) : ITemplateStore
{
    private const string Columns = """
        name AS Name, version AS Version, description AS Description, languages_json AS LanguagesJson,
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
                VALUES (@Name, (SELECT COALESCE(MAX(version), 0) + 1 FROM templates WHERE name = @Name), @Description, @languages, @SampleDataJson, @CreatedBy, @at)
                RETURNING version
                """,
                new { template.Name, template.Description, languages = TemplateDocuments.SerializeLanguages(template), template.SampleDataJson, template.CreatedBy, at = SqliteText.Time(template.CreatedAt) });
            return template with { Version = version };
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == 1555 /* SQLITE_CONSTRAINT_PRIMARYKEY */)
        {
            throw new DuplicateException("version", $"Template '{template.Name}' was saved by someone else at the same moment.");
        }
    }

    /// <inheritdoc />
    public async Task<MessageTemplate?> GetAsync(string name, int? version, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TemplateRow>(
            $"SELECT {Columns} FROM templates WHERE name = @name AND (@version IS NULL OR version = @version) ORDER BY version DESC LIMIT 1",
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
        return await connection.ExecuteScalarAsync<string?>("SELECT language FROM recipient_languages WHERE email = @email", new { email });
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
            new { email, language, at = SqliteText.Time(now) });
    }

    private sealed record TemplateRow(string Name, long Version, string? Description, string LanguagesJson, string? SampleDataJson, string? CreatedBy, string CreatedAt)
    {
        public MessageTemplate ToTemplate() =>
            TemplateDocuments.ToTemplate(Name, (int)Version, Description, LanguagesJson, SampleDataJson, CreatedBy, SqliteText.Time(CreatedAt));
    }
}
