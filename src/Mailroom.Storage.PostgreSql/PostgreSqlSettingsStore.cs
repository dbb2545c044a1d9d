using Dapper;
using Mailroom.Core.Audit;
using Mailroom.Core.Settings;
using Mailroom.Core.Storage;
using Npgsql;

namespace Mailroom.Storage.PostgreSql;

/// <summary>Sender profiles, deployment settings and the settings audit trail in PostgreSQL.</summary>
public sealed class PostgreSqlSettingsStore(PostgreSqlDatabase database) : ISettingsStore
{
    /// <inheritdoc />
    public async Task<SenderProfile?> GetProfileAsync(ProfileScope scope, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string ProfileJson, string? ProtectedPassword)>(
            "SELECT profile_json::text, protected_password FROM sender_profiles WHERE scope = @scope", new { scope = scope.ToString() });
        return row.ProfileJson is null ? null : StoredDocuments.ToProfile(row.ProfileJson, row.ProtectedPassword);
    }

    /// <inheritdoc />
    public async Task SaveProfileAsync(ProfileScope scope, SenderProfile profile, SettingsAuditEntry audit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO sender_profiles (scope, profile_json, protected_password, updated_at)
            VALUES (@scope, @json::jsonb, @password, @at)
            ON CONFLICT (scope) DO UPDATE SET profile_json = excluded.profile_json,
                protected_password = excluded.protected_password, updated_at = excluded.updated_at
            """,
            new
            {
                scope = scope.ToString(),
                json = StoredDocuments.Serialize(profile), // ProtectedPassword is [JsonIgnore]d: it has its own column
                password = profile.ProtectedPassword,
                at = audit.At.ToUniversalTime(),
            },
            transaction);
        await InsertAuditAsync(connection, audit, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<DeploymentSettings> GetDeploymentSettingsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string? SharedSenderUserId, string? AdditionalPortsJson, string? ReplyToRelayJson)>(
            "SELECT shared_sender_user_id, additional_ports_json::text, reply_to_relay_json::text FROM deployment_settings WHERE id = 1");
        return StoredDocuments.ToDeploymentSettings(row.SharedSenderUserId, row.AdditionalPortsJson, row.ReplyToRelayJson);
    }

    /// <inheritdoc />
    public async Task SaveDeploymentSettingsAsync(DeploymentSettings settings, SettingsAuditEntry audit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO deployment_settings (id, shared_sender_user_id, additional_ports_json, reply_to_relay_json) VALUES (1, @shared, @ports::jsonb, @relay::jsonb)
            ON CONFLICT (id) DO UPDATE SET shared_sender_user_id = excluded.shared_sender_user_id,
                additional_ports_json = excluded.additional_ports_json, reply_to_relay_json = excluded.reply_to_relay_json
            """,
            new { shared = settings.SharedSenderUserId, ports = StoredDocuments.Serialize(settings.PortPolicy.AdditionalPorts), relay = StoredDocuments.Serialize(settings.ReplyToRelay) },
            transaction);
        await InsertAuditAsync(connection, audit, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SettingsAuditEntry>> GetAuditTrailAsync(string? target, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, DateTime At, string ActorUserId, string Target, string ChangedFieldsJson)>(
            """
            SELECT id, at, actor_user_id, target, changed_fields_json::text FROM settings_audit
            WHERE @target::text IS NULL OR target = @target ORDER BY id DESC LIMIT @limit
            """,
            new { target, limit });
        return rows.Select(r => new SettingsAuditEntry(
                PostgreSqlTime.Read(r.At), r.ActorUserId, r.Target, StoredDocuments.Deserialize<string[]>(r.ChangedFieldsJson) ?? [])
            { Id = r.Id })
            .ToArray();
    }

    private static Task InsertAuditAsync(NpgsqlConnection connection, SettingsAuditEntry audit, NpgsqlTransaction transaction) =>
        connection.ExecuteAsync(
            "INSERT INTO settings_audit (at, actor_user_id, target, changed_fields_json) VALUES (@at, @actor, @target, @fields::jsonb)",
            new { at = audit.At.ToUniversalTime(), actor = audit.ActorUserId, target = audit.Target, fields = StoredDocuments.Serialize(audit.ChangedFields) },
            transaction);
}

/// <summary>Facts about the PostgreSQL backend.</summary>
public sealed class PostgreSqlStorageInfo(PostgreSqlDatabase database) : IStorageInfo
{
    /// <inheritdoc />
    public string Provider => "postgresql";

    /// <inheritdoc />
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version") ?? 0;
    }
}
