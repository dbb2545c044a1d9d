using System.Text;
using Mailroom.Core.Storage;
using Mailroom.Core.Users;

namespace Mailroom.Server.Hosting;

/// <summary>
/// What happens before the server serves: the schema is brought up to date, and on a fresh
/// installation the first administrator is created so a newcomer can sign in.
/// </summary>
public static class FirstStart
{
    /// <summary>The file the first administrator's credentials are written to (readable by this OS user only).</summary>
    public const string CredentialsFileName = "first-start-credentials.txt";

    /// <summary>Migrates storage and makes sure an administrator exists.</summary>
    public static async Task InitializeMailroomAsync(this WebApplication app)
    {
        var services = app.Services;
        var options = services.GetMailroomOptions();
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("Mailroom.FirstStart");
        var version = await services.GetRequiredService<IStorageMigrator>().MigrateAsync();
        var storage = services.GetRequiredService<IStorageInfo>();
        log.LogInformation("Storage {Provider} ready at schema version {Version}; data folder {DataDirectory}", storage.Provider, version, options.DataDirectoryFullPath);

        var users = services.GetRequiredService<IUserStore>();
        var clock = services.GetRequiredService<TimeProvider>();
        if (options.Bootstrap.AdminApiKey is { } bootstrapKey)
        {
            await EnsureBootstrapKeyAsync(users, options.Bootstrap, bootstrapKey, clock.GetUtcNow(), log);
            return;
        }
        if (await users.CountAsync() > 0) return;

        var admin = new User("admin", options.Bootstrap.AdminEmail, "Administrator", Role.Administrator, clock.GetUtcNow());
        var password = PasswordHasher.GeneratePassword();
        var (key, plainKey) = ApiKey.Generate(admin.Id, "first start", admin.CreatedAt);
        try
        {
            await users.AddAsync(admin, PasswordHasher.Hash(password), key);
        }
        catch (DuplicateException)
        {
            // Several nodes on one database started together: another one created the administrator.
            log.LogInformation("First start: another node created the administrator; its credentials are in that node's data folder");
            return;
        }

        var path = Path.Combine(options.DataDirectoryFullPath, CredentialsFileName);
        WriteOwnerOnly(path, $"""
            Mailroom first-start administrator (created {admin.CreatedAt:u})
            Sign in:   {admin.Email}
            Password:  {password}
            API key:   {plainKey}    (send as: Authorization: Bearer <key>)
            Only hashes of these are stored. Keep them somewhere safe, then delete this file.

            """);
        // The secrets go to a file only this OS user can read, never to the log.
        log.LogWarning(
            "First start: created administrator {Email}. Their sign-in password and API key are in {Path} (readable only by you). Open it, keep the credentials safe, then delete the file.",
            admin.Email, path);
    }

    private static async Task EnsureBootstrapKeyAsync(IUserStore users, BootstrapOptions bootstrap, string plainKey, DateTimeOffset now, ILogger log)
    {
        if (await users.FindByApiKeyHashAsync(ApiKey.HashOf(plainKey)) is not null) return;
        var admin = await users.FindByEmailAsync(bootstrap.AdminEmail);
        var key = ApiKey.FromPlain("bootstrap-" + now.ToUnixTimeSeconds(), admin?.Id ?? "admin", "bootstrap (Mailroom:Bootstrap:AdminApiKey)", plainKey, now);
        if (admin is null)
        {
            admin = new User("admin", bootstrap.AdminEmail, "Administrator", Role.Administrator, now);
            try
            {
                await users.AddAsync(admin, passwordHash: null, key);
            }
            catch (DuplicateException)
            {
                // Another node starting at the same moment created the administrator, with this key.
                if (await users.FindByApiKeyHashAsync(ApiKey.HashOf(plainKey)) is not null) return;
                throw;
            }
        }
        else if (!admin.IsAdministrator)
        {
            throw new InvalidOperationException($"Mailroom:Bootstrap:AdminEmail names {admin.Email}, who is not an administrator.");
        }
        else
        {
            await users.AddApiKeyAsync(key);
        }
        log.LogInformation("Bootstrap API key from configuration registered for administrator {Email}", admin.Email);
    }

    private static void WriteOwnerOnly(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes(content));
    }
}
