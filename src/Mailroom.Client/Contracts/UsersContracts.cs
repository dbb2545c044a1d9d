using Mailroom.Core.Users;

namespace Mailroom.Client;

/// <summary>A user as the API shows them.</summary>
public sealed record UserView(string Id, string Email, string DisplayName, Role Role, DateTimeOffset CreatedAt)
{
    public static UserView From(User u) => new(u.Id, u.Email, u.DisplayName, u.Role, u.CreatedAt);
}

/// <summary>Body of POST /api/users.</summary>
/// <param name="Id">Optional: the host application's own user code; generated when absent.</param>
/// <param name="Email">The user's address (their default From).</param>
/// <param name="DisplayName">The user's name; defaults to the address.</param>
/// <param name="Role">"user" (default) or "administrator".</param>
/// <param name="Password">Optional sign-in password for the web UI (12+ characters), stored hashed.</param>
public sealed record CreateUserInput(string? Id, string? Email, string? DisplayName, Role? Role, string? Password);

/// <summary>A new user and their first API key, shown this once.</summary>
public sealed record UserCreatedView(UserView User, ApiKeyCreatedView ApiKey);

/// <summary>An API key without its secret.</summary>
public sealed record ApiKeyView(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyView From(ApiKey k) => new(k.Id, k.Name, k.CreatedAt, k.RevokedAt);
}

/// <summary>A new API key: <see cref="Key"/> is shown this once and never again.</summary>
public sealed record ApiKeyCreatedView(string Id, string Name, string Key);

/// <summary>Body of POST /api/users/{userId}/api-keys.</summary>
public sealed record CreateApiKeyInput(string? Name);
