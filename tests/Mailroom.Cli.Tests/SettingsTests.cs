namespace Mailroom.Cli.Tests;

[Collection(CliServerCollection.Name)]
public class SettingsTests(CliServerFixture fixture)
{
    private async Task<string> NewUserAsync()
    {
        var id = "s" + Guid.NewGuid().ToString("N")[..8];
        var added = await fixture.RunAsync("users", "add", "--email", $"{id}@example.test", "--id", id);
        Assert.True(added.ExitCode == 0, added.ToString());
        return id;
    }

    [Fact]
    public async Task SettingsSet_ChangesOnlyTheNamedFields_ShowAndEffectiveSeeThem()
    {
        var id = await NewUserAsync();
        Assert.Equal(0, (await fixture.RunAsync("settings", "set", "--user", id, "displayName=Anna Nowak", "replyTo=biuro@example.test")).ExitCode);

        var set = await fixture.RunAsync("settings", "set", "--user", id, "signature=Pozdrawiam", "--json");
        Assert.True(set.ExitCode == 0, set.ToString());

        var shown = await fixture.RunAsync("settings", "show", "--user", id, "--json");
        Assert.Equal("Anna Nowak", (string?)shown.Json["displayName"]);
        Assert.Equal("biuro@example.test", (string?)shown.Json["replyTo"]);
        Assert.Equal("Pozdrawiam", (string?)shown.Json["signature"]);

        var effective = await fixture.RunAsync("settings", "effective", "--user", id, "--json");
        Assert.Equal(0, effective.ExitCode);
        Assert.Equal("user", (string?)effective.Json["fields"]!["displayName"]!["source"]);
        Assert.Equal("Anna Nowak", (string?)effective.Json["fields"]!["displayName"]!["value"]);

        var text = await fixture.RunAsync("settings", "effective", "--user", id);
        Assert.Matches(@"displayName\s+Anna Nowak\s+\(user\)", text.Out);

        // 'field=' inherits again.
        Assert.Equal(0, (await fixture.RunAsync("settings", "set", "--user", id, "signature=")).ExitCode);
        Assert.Null((string?)(await fixture.RunAsync("settings", "show", "--user", id, "--json")).Json["signature"]);
    }

    [Fact]
    public async Task SettingsSet_NotAllowedPort_IsExit3_NamingTheField_AndNothingIsSaved()
    {
        var id = await NewUserAsync();

        var refused = await fixture.RunAsync("settings", "set", "--user", id, "host=smtp.example.test", "port=2525", "senderMode=ownSmtp", "--json");

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains(refused.Json["error"]!["issues"]!.AsArray(), i => (string?)i!["field"] == "port");
        Assert.Contains("port: ", refused.Error);
        Assert.Null((string?)(await fixture.RunAsync("settings", "show", "--user", id, "--json")).Json["host"]);
    }

    [Fact]
    public async Task SettingsSet_UnknownField_WrongType_PasswordOnTheCommandLine_AreUsageErrors()
    {
        var id = await NewUserAsync();

        var unknown = await fixture.RunAsync("settings", "set", "--user", id, "hots=smtp.example.test");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("'hots'", unknown.Error);

        var wrongType = await fixture.RunAsync("settings", "set", "--user", id, "port=five");
        Assert.Equal(2, wrongType.ExitCode);
        Assert.Contains("'port'", wrongType.Error);

        var password = await fixture.RunAsync("settings", "set", "--user", id, "password=Tajne123!");
        Assert.Equal(2, password.ExitCode);
        Assert.Contains("--password-stdin", password.Error);
    }

    [Fact]
    public async Task PasswordFromStdin_IsStored_AndNeverPrinted()
    {
        var id = await NewUserAsync();
        const string secret = "Sekretne-Haslo-7731";

        var set = await fixture.RunAsAsync(CliServerFixture.AdminKey, secret + "\n", "settings", "set", "--user", id, "--password-stdin", "authentication=password", "login=anna", "--json");

        Assert.True(set.ExitCode == 0, set.ToString());
        var shown = await fixture.RunAsync("settings", "show", "--user", id, "--json");
        Assert.True((bool)shown.Json["hasPassword"]!);
        Assert.Equal("anna", (string?)shown.Json["login"]);
        Assert.DoesNotContain(secret, set.Out + set.Error + shown.Out);
    }
}
