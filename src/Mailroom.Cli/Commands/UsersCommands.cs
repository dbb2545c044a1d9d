using System.CommandLine;
using Mailroom.Client;
using Mailroom.Core.Users;

namespace Mailroom.Cli.Commands;

/// <summary><c>mailroom users add|list|key</c>.</summary>
public static class UsersCommands
{
    private static readonly Option<string?> Email = new("--email") { Description = "The user's address (their default From)", Required = true };
    private static readonly Option<string?> Id = new("--id") { Description = "The host application's own user code (generated when absent)" };
    private static readonly Option<string?> Name = new("--name") { Description = "Display name (default: the address)" };
    private static readonly Option<Role?> RoleOption = new("--role") { Description = "user (default) or administrator" };
    private static readonly Option<bool> PasswordStdin = new("--password-stdin") { Description = "Read a web UI sign-in password (12+ characters) from standard input" };
    private static readonly Argument<string> UserId = new("user") { Description = "The user's id" };
    private static readonly Option<string?> KeyName = new("--name") { Description = "A name for the new key", DefaultValueFactory = _ => "cli" };
    private static readonly Option<bool> List = new("--list") { Description = "List the user's keys (no secrets) instead of creating one" };
    private static readonly Option<string?> Revoke = new("--revoke") { Description = "Revoke the key with this id, at once" };

    /// <summary>The command group.</summary>
    public static Command Create() => new Command("users", "Users and their API keys").With(
        new Command("add", "Add a user; prints their first API key once (administrators)").With(Email, Id, Name, RoleOption, PasswordStdin).Runs(AddAsync),
        new Command("list", "Every user (administrators)").Runs(ListAsync),
        new Command("key", "Create an API key for a user (printed once); --list or --revoke ID").With(UserId, KeyName, List, Revoke).Runs(KeyAsync));

    private static async Task<int> AddAsync(CliContext context)
    {
        var password = context.Get(PasswordStdin) ? (await Console.In.ReadToEndAsync(context.CancellationToken)).TrimEnd('\r', '\n') : null;
        var created = await context.Client.AddUserAsync(
            new CreateUserInput(context.Get(Id), context.Get(Email), context.Get(Name), context.Get(RoleOption), password), context.CancellationToken);
        if (context.JsonOutput)
        {
            context.WriteJson(created);
            return ExitCodes.Ok;
        }
        WriteUser(context, created.User);
        context.Out.WriteLine(context.Text("cli.keyShownOnce", ("key", created.ApiKey.Key)));
        return ExitCodes.Ok;
    }

    private static async Task<int> ListAsync(CliContext context)
    {
        var users = await context.Client.ListUsersAsync(context.CancellationToken);
        if (context.JsonOutput) context.WriteJson(users);
        else foreach (var user in users) WriteUser(context, user);
        return ExitCodes.Ok;
    }

    private static async Task<int> KeyAsync(CliContext context)
    {
        var userId = context.Get(UserId)!;
        if (context.Get(Revoke) is { } keyId)
        {
            await context.Client.RevokeApiKeyAsync(userId, keyId, context.CancellationToken);
            if (context.JsonOutput) context.WriteJson(new { revoked = keyId });
            else context.Out.WriteLine($"{keyId} revoked");
            return ExitCodes.Ok;
        }
        if (context.Get(List))
        {
            var keys = await context.Client.ListApiKeysAsync(userId, context.CancellationToken);
            if (context.JsonOutput) context.WriteJson(keys);
            else foreach (var k in keys) context.Out.WriteLine($"{k.Id}  {k.Name}  {k.CreatedAt:yyyy-MM-dd HH:mm}{(k.RevokedAt is { } r ? $"  revoked {r:yyyy-MM-dd HH:mm}" : "")}");
            return ExitCodes.Ok;
        }
        var key = await context.Client.CreateApiKeyAsync(userId, context.Get(KeyName)!, context.CancellationToken);
        if (context.JsonOutput) context.WriteJson(key);
        else context.Out.WriteLine(context.Text("cli.keyShownOnce", ("key", key.Key)) + $"  (id {key.Id})");
        return ExitCodes.Ok;
    }

    private static void WriteUser(CliContext context, UserView user) =>
        context.Out.WriteLine($"{user.Id}  {user.Email}  {user.DisplayName}  {user.Role.ToString().ToLowerInvariant()}");
}
