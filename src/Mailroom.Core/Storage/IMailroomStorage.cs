using Mailroom.Core.Audit;
using Mailroom.Core.Settings;
using Mailroom.Core.Users;

namespace Mailroom.Core.Storage;

/// <summary>
/// Users, their API keys and sign-in passwords. Implemented by each storage backend
/// (<c>SqliteUserStore</c>, …) and checked by the shared storage compliance suite.
/// </summary>
public interface IUserStore
{
    /// <summary>The user with <paramref name="userId"/>, or null.</summary>
    Task<User?> GetAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>The user with <paramref name="email"/> (case-insensitive), or null.</summary>
    Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>All users, ordered by creation.</summary>
    Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Number of users.</summary>
    Task<int> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a user, with an optional sign-in password hash and API key, in one transaction.</summary>
    /// <exception cref="DuplicateException">The id or e-mail address is taken.</exception>
    Task AddAsync(User user, string? passwordHash, ApiKey? apiKey, CancellationToken cancellationToken = default);

    /// <summary>The sign-in password hash of <paramref name="userId"/>, or null.</summary>
    Task<string?> GetPasswordHashAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Stores an API key.</summary>
    Task AddApiKeyAsync(ApiKey apiKey, CancellationToken cancellationToken = default);

    /// <summary>The user and key behind a presented key's hash, when the key exists and is not revoked.</summary>
    Task<(User User, ApiKey Key)?> FindByApiKeyHashAsync(string keyHash, CancellationToken cancellationToken = default);

    /// <summary>The keys of <paramref name="userId"/>, revoked ones included.</summary>
    Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Revokes a key; false when <paramref name="userId"/> has no such key.</summary>
    Task<bool> RevokeApiKeyAsync(string userId, string keyId, DateTimeOffset at, CancellationToken cancellationToken = default);
}

/// <summary>
/// The global and per-user sender profiles, the deployment settings (shared sender, port
/// policy) and the audit trail of their changes. Every save writes its audit entry in the
/// same transaction: a change is either saved and audited, or neither.
/// </summary>
public interface ISettingsStore
{
    /// <summary>The stored profile of <paramref name="scope"/>, or null when none was saved.</summary>
    Task<SenderProfile?> GetProfileAsync(ProfileScope scope, CancellationToken cancellationToken = default);

    /// <summary>Replaces the profile of <paramref name="scope"/> and records <paramref name="audit"/>, atomically.</summary>
    Task SaveProfileAsync(ProfileScope scope, SenderProfile profile, SettingsAuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The deployment settings (defaults when never saved).</summary>
    Task<DeploymentSettings> GetDeploymentSettingsAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the deployment settings and records <paramref name="audit"/>, atomically.</summary>
    Task SaveDeploymentSettingsAsync(DeploymentSettings settings, SettingsAuditEntry audit, CancellationToken cancellationToken = default);

    /// <summary>The newest audit entries first, optionally only those of <paramref name="target"/>.</summary>
    Task<IReadOnlyList<SettingsAuditEntry>> GetAuditTrailAsync(string? target, int limit, CancellationToken cancellationToken = default);
}

/// <summary>Thrown when a unique value (a user id, an e-mail address) is already taken.</summary>
public sealed class DuplicateException(string field, string message) : Exception(message)
{
    /// <summary>The field whose value is taken.</summary>
    public string Field { get; } = field;
}

/// <summary>Read-only facts about a backend, for the health endpoint and the UI.</summary>
public interface IStorageInfo
{
    /// <summary>"sqlite", "postgresql", …</summary>
    string Provider { get; }

    /// <summary>The schema version the database is at.</summary>
    Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default);
}

/// <summary>Brings a backend's schema up to date at start-up.</summary>
public interface IStorageMigrator
{
    /// <summary>Runs the missing schema scripts; returns the version the database is at.</summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken = default);
}
