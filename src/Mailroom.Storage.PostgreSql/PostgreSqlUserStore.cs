using Dapper;
using Mailroom.Core.Storage;
using Mailroom.Core.Users;
using Npgsql;

namespace Mailroom.Storage.PostgreSql;

/// <summary>Users and API keys in PostgreSQL.</summary>
public sealed class PostgreSqlUserStore(PostgreSqlDatabase database) : IUserStore
{
    private const string UserColumns = "id AS Id, email AS Email, display_name AS DisplayName, role AS Role, created_at AS CreatedAt";
    private const string KeyColumns = "id AS Id, user_id AS UserId, name AS Name, key_hash AS Hash, created_at AS CreatedAt, revoked_at AS RevokedAt";

    /// <inheritdoc />
    public async Task<User?> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>($"SELECT {UserColumns} FROM users WHERE id = @userId", new { userId });
        return row?.ToUser();
    }

    /// <inheritdoc />
    public async Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>($"SELECT {UserColumns} FROM users WHERE lower(email) = lower(@email)", new { email });
        return row?.ToUser();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<UserRow>($"SELECT {UserColumns} FROM users ORDER BY created_at, id");
        return rows.Select(r => r.ToUser()).ToArray();
    }

    /// <inheritdoc />
    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM users");
    }

    /// <inheritdoc />
    public async Task AddAsync(User user, string? passwordHash, ApiKey? apiKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM users WHERE id = @Id)", new { user.Id }, transaction))
            throw StoredDocuments.DuplicateUserId(user);
        if (await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(@Email))", new { user.Email }, transaction))
            throw StoredDocuments.DuplicateEmail(user);
        try
        {
            await connection.ExecuteAsync(
                "INSERT INTO users (id, email, display_name, role, password_hash, created_at) VALUES (@Id, @Email, @DisplayName, @Role, @PasswordHash, @CreatedAt)",
                new { user.Id, user.Email, user.DisplayName, Role = StoredDocuments.RoleName(user.Role), PasswordHash = passwordHash, CreatedAt = user.CreatedAt.ToUniversalTime() },
                transaction);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another node added the same user between the checks and the insert.
            throw e.ConstraintName == "users_email" ? StoredDocuments.DuplicateEmail(user) : StoredDocuments.DuplicateUserId(user);
        }
        if (apiKey is not null) await InsertKeyAsync(connection, apiKey, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<string?> GetPasswordHashAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>("SELECT password_hash FROM users WHERE id = @userId", new { userId });
    }

    /// <inheritdoc />
    public async Task AddApiKeyAsync(ApiKey apiKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await InsertKeyAsync(connection, apiKey, transaction: null);
    }

    /// <inheritdoc />
    public async Task<(User User, ApiKey Key)?> FindByApiKeyHashAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var key = await connection.QuerySingleOrDefaultAsync<KeyRow>(
            $"SELECT {KeyColumns} FROM api_keys WHERE key_hash = @keyHash AND revoked_at IS NULL", new { keyHash });
        if (key is null) return null;
        var user = await connection.QuerySingleAsync<UserRow>($"SELECT {UserColumns} FROM users WHERE id = @UserId", new { key.UserId });
        return (user.ToUser(), key.ToApiKey());
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<KeyRow>($"SELECT {KeyColumns} FROM api_keys WHERE user_id = @userId ORDER BY created_at, id", new { userId });
        return rows.Select(r => r.ToApiKey()).ToArray();
    }

    /// <inheritdoc />
    public async Task<bool> RevokeApiKeyAsync(string userId, string keyId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, @at) WHERE id = @keyId AND user_id = @userId",
            new { userId, keyId, at = at.ToUniversalTime() });
        return changed > 0;
    }

    private static Task InsertKeyAsync(NpgsqlConnection connection, ApiKey key, NpgsqlTransaction? transaction) =>
        connection.ExecuteAsync(
            "INSERT INTO api_keys (id, user_id, name, key_hash, created_at, revoked_at) VALUES (@Id, @UserId, @Name, @Hash, @CreatedAt, @RevokedAt)",
            new { key.Id, key.UserId, key.Name, key.Hash, CreatedAt = key.CreatedAt.ToUniversalTime(), RevokedAt = key.RevokedAt?.ToUniversalTime() },
            transaction);

    private sealed record UserRow(string Id, string Email, string DisplayName, string Role, DateTime CreatedAt)
    {
        public User ToUser() => StoredDocuments.ToUser(Id, Email, DisplayName, Role, PostgreSqlTime.Read(CreatedAt));
    }

    private sealed record KeyRow(string Id, string UserId, string Name, string Hash, DateTime CreatedAt, DateTime? RevokedAt)
    {
        public ApiKey ToApiKey() => new(Id, UserId, Name, Hash, PostgreSqlTime.Read(CreatedAt)) { RevokedAt = PostgreSqlTime.Read(RevokedAt) };
    }
}
