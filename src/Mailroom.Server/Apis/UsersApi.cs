using System.Security.Claims;
using Mailroom.Core.Storage;
using Mailroom.Core.Users;
using Mailroom.Server.Security;

namespace Mailroom.Server.Apis;

/// <summary>Users and their API keys.</summary>
public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization();
        users.MapGet("", List).RequireAuthorization(CurrentUser.AdministratorPolicy).WithSummary("Every user (administrators).");
        users.MapPost("", Create).RequireAuthorization(CurrentUser.AdministratorPolicy).WithSummary("Adds a user and returns their first API key once.");
        users.MapGet("/me", Me).WithSummary("The caller.");
        users.MapGet("/{userId}", Get).WithSummary("One user (the user or an administrator).");
        users.MapGet("/{userId}/api-keys", ListKeys).WithSummary("A user's API keys, without secrets.");
        users.MapPost("/{userId}/api-keys", CreateKey).WithSummary("A new API key, shown once.");
        users.MapDelete("/{userId}/api-keys/{keyId}", RevokeKey).WithSummary("Revokes an API key at once.");
        return app;
    }

    private static async Task<IResult> List(IUserStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(ct)).Select(UserView.From));

    private static async Task<IResult> Me(IUserStore store, ClaimsPrincipal caller, CancellationToken ct) =>
        TypedResults.Ok(UserView.From((await store.GetAsync(caller.Id(), ct))!));

    private static async Task<IResult> Get(string userId, IUserStore store, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (await SettingsApi.CheckAccessAsync(userId, store, context, caller, ct) is { } denied) return denied;
        return TypedResults.Ok(UserView.From((await store.GetAsync(userId, ct))!));
    }

    private static async Task<IResult> Create(CreateUserInput input, UserAccountService accounts, HttpContext context, CancellationToken ct)
    {
        var created = await accounts.CreateAsync(new NewUserRequest(input.Id, input.Email, input.DisplayName, input.Role, input.Password), ct);
        if (created.User is not { } user) return ApiProblems.Validation(context, created.Issues);
        var key = created.Key!;
        return TypedResults.Created($"/api/users/{user.Id}", new UserCreatedView(UserView.From(user), new ApiKeyCreatedView(key.Id, key.Name, created.PlainKey!)));
    }

    private static async Task<IResult> ListKeys(string userId, IUserStore store, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (await SettingsApi.CheckAccessAsync(userId, store, context, caller, ct) is { } denied) return denied;
        return TypedResults.Ok((await store.ListApiKeysAsync(userId, ct)).Select(ApiKeyView.From));
    }

    private static async Task<IResult> CreateKey(string userId, CreateApiKeyInput input, IUserStore store, TimeProvider clock, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (await SettingsApi.CheckAccessAsync(userId, store, context, caller, ct) is { } denied) return denied;
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100 || name.Any(char.IsControl))
            return ApiProblems.Validation(context, "name", "apiKey.name.invalid");
        var (key, plain) = ApiKey.Generate(userId, name, clock.GetUtcNow());
        await store.AddApiKeyAsync(key, ct);
        return TypedResults.Created($"/api/users/{userId}/api-keys/{key.Id}", new ApiKeyCreatedView(key.Id, key.Name, plain));
    }

    private static async Task<IResult> RevokeKey(string userId, string keyId, IUserStore store, ApiKeyCache keys, TimeProvider clock, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (await SettingsApi.CheckAccessAsync(userId, store, context, caller, ct) is { } denied) return denied;
        if (!await store.RevokeApiKeyAsync(userId, keyId, clock.GetUtcNow(), ct))
            return ApiProblems.NotFound(context, "apiKey.notFound", new Dictionary<string, object?> { ["keyId"] = keyId });
        keys.ForgetUser(userId);
        return TypedResults.NoContent();
    }
}
