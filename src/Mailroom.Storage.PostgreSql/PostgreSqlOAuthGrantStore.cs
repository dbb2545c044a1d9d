using Dapper;
using Mailroom.Core.OAuth;
using Mailroom.Core.Settings;

namespace Mailroom.Storage.PostgreSql;

/// <summary>OAuth2 sign-ins in PostgreSQL (schema 5), shared by every node.</summary>
public sealed class PostgreSqlOAuthGrantStore(PostgreSqlDatabase database) : IOAuthGrantStore
{
    /// <inheritdoc />
    public async Task<OAuthGrant?> GetAsync(ProfileScope scope, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Scope, string Provider, string Kind, string Account, string? Token, DateTime CreatedAt, DateTime UpdatedAt)?>(
            "SELECT scope, provider, kind, account, protected_refresh_token, created_at, updated_at FROM oauth_grants WHERE scope = @scope",
            new { scope = scope.ToString() });
        return row is { } r
            ? StoredOAuthGrants.FromRow(r.Scope, r.Provider, r.Kind, r.Account, r.Token, PostgreSqlTime.Read(r.CreatedAt), PostgreSqlTime.Read(r.UpdatedAt))
            : null;
    }

    /// <inheritdoc />
    public async Task SaveAsync(OAuthGrant grant, CancellationToken cancellationToken = default)
    {
        var c = StoredOAuthGrants.Columns(grant);
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO oauth_grants (scope, provider, kind, account, protected_refresh_token, created_at, updated_at)
            VALUES (@scope, @provider, @kind, @account, @token, @created, @updated)
            ON CONFLICT (scope) DO UPDATE SET provider = excluded.provider, kind = excluded.kind, account = excluded.account,
                protected_refresh_token = excluded.protected_refresh_token, created_at = excluded.created_at, updated_at = excluded.updated_at
            """,
            new { scope = c.Scope, provider = c.Provider, kind = c.Kind, account = c.Account, token = c.Token,
                  created = grant.CreatedAt.ToUniversalTime(), updated = grant.UpdatedAt.ToUniversalTime() });
    }

    /// <inheritdoc />
    public async Task<bool> RotateRefreshTokenAsync(ProfileScope scope, string? expectedProtectedRefreshToken, string newProtectedRefreshToken, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            UPDATE oauth_grants SET protected_refresh_token = @token, updated_at = @at
            WHERE scope = @scope AND protected_refresh_token IS NOT DISTINCT FROM @expected::text
            """,
            new { scope = scope.ToString(), token = newProtectedRefreshToken, at = at.ToUniversalTime(), expected = expectedProtectedRefreshToken }) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(ProfileScope scope, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM oauth_grants WHERE scope = @scope", new { scope = scope.ToString() }) == 1;
    }
}
