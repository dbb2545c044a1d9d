using System.Text.RegularExpressions;
using Mailroom.Core.Settings.Validation;
using Mailroom.Core.Storage;

namespace Mailroom.Core.Users;

/// <summary>What an administrator asks for when adding a user.</summary>
/// <param name="Id">Optional: the host application's own user code; generated when absent.</param>
/// <param name="Email">The user's address (their default From).</param>
/// <param name="DisplayName">The user's name; defaults to the address.</param>
/// <param name="Role">User (default) or administrator.</param>
/// <param name="Password">Optional sign-in password for the web UI (12+ characters), stored hashed.</param>
public sealed record NewUserRequest(string? Id, string? Email, string? DisplayName, Role? Role, string? Password);

/// <summary>The new user and their first API key (plain text shown once), or the reasons nothing was created.</summary>
public sealed record UserCreation(User? User, ApiKey? Key, string? PlainKey, IReadOnlyList<ValidationIssue> Issues);

/// <summary>Adds users, validated, with a first API key. Shared by the HTTP API and the web UI.</summary>
public sealed partial class UserAccountService(IUserStore users, TimeProvider clock)
{
    /// <summary>Validates <paramref name="request"/> and stores the user; nothing is stored when anything is wrong.</summary>
    public async Task<UserCreation> CreateAsync(NewUserRequest request, CancellationToken cancellationToken = default)
    {
        var issues = Validate(request).ToArray();
        if (issues.Length > 0) return new UserCreation(null, null, null, issues);
        var email = request.Email!.Trim();
        var user = new User(
            request.Id?.Trim() is { Length: > 0 } id ? id : "u-" + Guid.NewGuid().ToString("N")[..12],
            email,
            request.DisplayName?.Trim() is { Length: > 0 } name ? name : email,
            request.Role ?? Role.User,
            clock.GetUtcNow());
        var (key, plain) = ApiKey.Generate(user.Id, "initial", user.CreatedAt);
        try
        {
            await users.AddAsync(user, request.Password is { } pw ? PasswordHasher.Hash(pw) : null, key, cancellationToken);
        }
        catch (DuplicateException duplicate)
        {
            return new UserCreation(null, null, null,
                [Error(duplicate.Field, $"user.{duplicate.Field}.taken", duplicate.Field == "id" ? user.Id : user.Email)]);
        }
        return new UserCreation(user, key, plain, []);
    }

    private static IEnumerable<ValidationIssue> Validate(NewUserRequest request)
    {
        if (request.Id is { } id && !UserIdPattern().IsMatch(id.Trim())) yield return Error("id", "user.id.invalid", id);
        if (string.IsNullOrWhiteSpace(request.Email)) yield return Error("email", "user.email.required");
        else if (!EmailAddressRules.IsValidAddress(request.Email.Trim())) yield return Error("email", "user.email.invalid", request.Email);
        if (request.DisplayName is { } name && (name.Length > 200 || name.Any(char.IsControl))) yield return Error("displayName", "user.displayName.invalid");
        if (request.Password is { Length: < 12 }) yield return Error("password", "user.password.tooShort");
    }

    private static ValidationIssue Error(string field, string code, object? value = null) =>
        new(field, code, IssueSeverity.Error, new Dictionary<string, object?> { ["value"] = value });

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")]
    private static partial Regex UserIdPattern();
}
