namespace Mailroom.Cli.Tests;

[Collection(CliServerCollection.Name)]
public class UsersAndKeysTests(CliServerFixture fixture)
{
    [Fact]
    public async Task UsersAdd_PrintsTheKeyOnce_ListShowsTheUser_AndTheKeyWorks()
    {
        var id = "u" + Guid.NewGuid().ToString("N")[..8];

        var added = await fixture.RunAsync("users", "add", "--email", $"{id}@example.test", "--id", id, "--name", "Anna Nowak", "--json");

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Equal(id, (string?)added.Json["user"]!["id"]);
        var key = (string)added.Json["apiKey"]!["key"]!;
        Assert.False(string.IsNullOrWhiteSpace(key));

        var list = await fixture.RunAsync("users", "list", "--json");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(list.Json.AsArray(), u => (string?)u!["id"] == id && (string?)u["email"] == $"{id}@example.test");

        // The new user's key, from the environment, reaches their own settings…
        var own = await fixture.RunAsAsync(key, null, "settings", "show", "--user", id, "--json");
        Assert.True(own.ExitCode == 0, own.ToString());
        Assert.False((bool)own.Json["hasPassword"]!);
        // …and not the administrator's commands: an auth error, exit code 4.
        var forbidden = await fixture.RunAsAsync(key, null, "users", "list");
        Assert.Equal(4, forbidden.ExitCode);
        Assert.StartsWith("error: ", forbidden.Error);
        Assert.Contains("hint: ", forbidden.Error);
    }

    [Fact]
    public async Task UsersKey_CreatesAKey_ListsItWithoutTheSecret_RevokedKeyIsRefused()
    {
        var id = "k" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, (await fixture.RunAsync("users", "add", "--email", $"{id}@example.test", "--id", id)).ExitCode);

        var created = await fixture.RunAsync("users", "key", id, "--name", "backup script", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var (keyId, key) = ((string)created.Json["id"]!, (string)created.Json["key"]!);

        var listed = await fixture.RunAsync("users", "key", id, "--list", "--json");
        Assert.Contains(listed.Json.AsArray(), k => (string?)k!["id"] == keyId && (string?)k["name"] == "backup script");
        Assert.DoesNotContain(key, listed.Out);

        Assert.Equal(0, (await fixture.RunAsAsync(key, null, "settings", "show", "--user", id)).ExitCode);
        Assert.Equal(0, (await fixture.RunAsync("users", "key", id, "--revoke", keyId)).ExitCode);
        var refused = await fixture.RunAsAsync(key, null, "settings", "show", "--user", id, "--json");
        Assert.Equal(4, refused.ExitCode);
        Assert.Equal(401, (int?)refused.Json["error"]!["status"]);
    }

    [Fact]
    public async Task UsersAdd_BadAddress_IsAValidationError_NamingTheField_InPolishToo()
    {
        var result = await fixture.RunAsync("users", "add", "--email", "not-an-address", "--json", "--lang", "pl");

        Assert.Equal(3, result.ExitCode);
        var issue = result.Json["error"]!["issues"]!.AsArray().Single()!;
        Assert.Equal("email", (string?)issue["field"]);
        Assert.Contains("nie jest poprawnym adresem", (string?)issue["message"]);
        Assert.Contains("wskazówka: ", result.Error);
    }

    [Fact]
    public async Task NoKey_UnknownKey_AreAuthErrors_WithAHint()
    {
        var none = await fixture.RunAsAsync(null, null, "users", "list");
        Assert.Equal(4, none.ExitCode);
        Assert.Contains("MAILROOM_API_KEY", none.Error);

        var unknown = await fixture.RunAsAsync("no-such-key-000000000000000", null, "users", "list");
        Assert.Equal(4, unknown.ExitCode);
        Assert.Contains("refused the API key", unknown.Error);
        Assert.DoesNotContain("no-such-key-000000000000000", unknown.Error + unknown.Out);
    }
}
