using System.Net.Http.Json;

namespace Mailroom.Server.Tests;

public class SecretsTests
{
    [Fact]
    public async Task SmtpPasswords_NeverAppearInResponsesLogsOrTheDataFolder()
    {
        const string globalPassword = "Global-Secret-Q7x9-Unique";
        const string userPassword = "User-Secret-Z3k8-Unique";
        using var factory = new MailroomServerFactory();
        var admin = factory.Admin();
        var anna = await factory.NewUserAsync("anna", "anna@firma.pl");
        var responses = new List<string>();
        async Task Record(HttpResponseMessage r) => responses.Add(await r.Content.ReadAsStringAsync());

        await Record(await admin.PutJsonAsync("/api/settings/global", new { host = "smtp.wp.pl", port = 587, encryption = "startTls", authentication = "password", login = "firma@wp.pl", password = globalPassword }));
        await Record(await anna.PutJsonAsync("/api/users/anna/settings", new { authentication = "password", login = "anna@wp.pl", password = userPassword }));
        // A refused save that carries a password must not echo it either.
        await Record(await anna.PutJsonAsync("/api/users/anna/settings", new { port = 1, password = userPassword }));
        foreach (var url in new[] { "/api/settings/global", "/api/settings/global/effective", "/api/users/anna/settings", "/api/users/anna/settings/effective", "/api/settings/audit", "/openapi/v1.json" })
            await Record(await admin.GetAsync(url));

        var stored = factory.AllStoredBytesAsText();
        foreach (var secret in new[] { globalPassword, userPassword })
        {
            Assert.All(responses, body => Assert.DoesNotContain(secret, body));
            Assert.DoesNotContain(secret, stored);
            Assert.DoesNotContain(factory.LogLines, line => line.Contains(secret, StringComparison.Ordinal));
        }
        Assert.Contains("anna@wp.pl", stored); // proves the scan reads the database: the login is stored in clear
    }

    [Fact]
    public async Task ApiKeys_AreStoredOnlyAsHashes()
    {
        using var factory = new MailroomServerFactory();
        var created = await (await factory.Admin().PostAsJsonAsync("/api/users/admin/api-keys", new { name = "ci" })).ReadJsonAsync();
        var key = (string)created["key"]!;

        var stored = factory.AllStoredBytesAsText();

        Assert.DoesNotContain(key, stored);
        Assert.DoesNotContain(MailroomServerFactory.AdminKey, stored);
        Assert.Contains(Core.Users.ApiKey.HashOf(key), stored);
    }

    [Fact]
    public async Task FirstStart_CreatesAnAdministrator_WhoseCredentialsAreInAnOwnerOnlyFile_NotInTheLog()
    {
        using var factory = new MailroomServerFactory(withBootstrapKey: false);
        _ = factory.CreateClient(); // starts the server

        var path = Path.Combine(factory.DataDirectory, "first-start-credentials.txt");
        var lines = File.ReadAllLines(path);
        var password = lines.Single(l => l.StartsWith("Password:")).Split(':', 2)[1].Trim();
        var key = lines.Single(l => l.StartsWith("API key:")).Split(':', 2)[1].Trim().Split(' ')[0];

        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var me = await (await factory.ClientWithKey(key).GetAsync("/api/users/me")).ReadJsonAsync();
        Assert.Equal("administrator", (string?)me["role"]);
        Assert.Equal("admin@localhost", (string?)me["email"]);
        Assert.Contains(factory.LogLines, l => l.Contains(path, StringComparison.Ordinal));
        Assert.DoesNotContain(factory.LogLines, l => l.Contains(password, StringComparison.Ordinal) || l.Contains(key, StringComparison.Ordinal));
        Assert.DoesNotContain(password, factory.AllStoredBytesAsText().Replace(File.ReadAllText(path), ""));
    }
}
