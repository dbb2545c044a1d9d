using System.Net;
using System.Net.Http.Json;

namespace Mailroom.Server.Tests;

public class SettingsApiTests
{
    private static readonly object GmailProfile = new
    {
        enabled = true,
        accountName = "Comarch DMS",
        fromAddress = "powiadomienia@firma.pl",
        displayName = "Comarch DMS – powiadomienia",
        replyTo = "biuro@firma.pl",
        description = "Konto powiadomień",
        serverType = "smtp",
        host = "smtp.wp.pl",
        port = 587,
        encryption = "startTls",
        authentication = "password",
        login = "powiadomienia@firma.pl",
        password = "Sekretne-Haslo-123",
        bcc = "archiwum@firma.pl",
        signature = "Pozdrawiam,\nZespół",
        senderMode = "ownSmtp",
    };

    [Fact]
    public async Task Health_AnswersWithoutAKey_AndNamesTheStorage()
    {
        using var factory = new MailroomServerFactory();

        var response = await factory.CreateClient().GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("healthy", (string?)body["status"]);
        Assert.Equal("sqlite", (string?)body["storage"]!["provider"]);
    }

    [Fact]
    public async Task SettingsEndpoints_RefuseCallsWithoutAKnownKey()
    {
        using var factory = new MailroomServerFactory();

        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync("/api/settings/global")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWithKey("mr_wrong_key").GetAsync("/api/settings/global")).StatusCode);
    }

    [Fact]
    public async Task GlobalProfile_SaveReturnsConfirmationAndTheStoredProfile_WithoutThePassword()
    {
        using var factory = new MailroomServerFactory();
        var admin = factory.Admin();

        var saved = await admin.PutJsonAsync("/api/settings/global", GmailProfile);

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var body = await saved.ReadJsonAsync();
        Assert.Equal("Settings saved.", (string?)body["message"]);
        Assert.Equal("smtp.wp.pl", (string?)body["profile"]!["host"]);
        Assert.Equal("startTls", (string?)body["profile"]!["encryption"]);
        Assert.True((bool?)body["profile"]!["hasPassword"]);
        Assert.Null(body["profile"]!["password"]);

        var read = await (await admin.GetAsync("/api/settings/global")).ReadJsonAsync();
        Assert.Equal("Comarch DMS – powiadomienia", (string?)read["displayName"]);
        Assert.Equal("Pozdrawiam,\nZespół", (string?)read["signature"]);
        Assert.Equal("ownSmtp", (string?)read["senderMode"]);
        Assert.Equal("smtp", (string?)read["serverType"]);
        Assert.True((bool?)read["hasPassword"]);
    }

    [Fact]
    public async Task SaveConfirmation_IsInPolish_WhenAskedFor()
    {
        using var factory = new MailroomServerFactory();

        var saved = await factory.Admin("pl-PL").PutJsonAsync("/api/settings/global", new { host = "smtp.wp.pl" });

        Assert.Equal("Dane zostały zapisane.", (string?)(await saved.ReadJsonAsync())["message"]);
    }

    [Fact]
    public async Task PasswordOmitted_KeepsTheStoredOne_EmptyRemovesIt()
    {
        using var factory = new MailroomServerFactory();
        var admin = factory.Admin();
        await admin.PutJsonAsync("/api/settings/global", GmailProfile);

        var kept = await (await admin.PutJsonAsync("/api/settings/global", new { host = "smtp.wp.pl", authentication = "password", login = "x@firma.pl" })).ReadJsonAsync();
        Assert.True((bool?)kept["profile"]!["hasPassword"]);

        var removed = await (await admin.PutJsonAsync("/api/settings/global", new { host = "smtp.wp.pl", password = "" })).ReadJsonAsync();
        Assert.False((bool?)removed["profile"]!["hasPassword"]);
    }

    [Fact]
    public async Task MalformedJson_WrongTypes_AndUnknownFields_GetA400NamingTheField_AndNothingIsSaved()
    {
        using var factory = new MailroomServerFactory();
        var admin = factory.Admin();
        await admin.PutJsonAsync("/api/settings/global", new { host = "smtp.wp.pl" });

        var malformed = await admin.PutAsync("/api/settings/global", new StringContent("{\"host\": ", System.Text.Encoding.UTF8, "application/json"));
        var wrongType = await admin.PutAsync("/api/settings/global", new StringContent("{\"port\": \"abc\"}", System.Text.Encoding.UTF8, "application/json"));
        var unknown = await admin.PutAsync("/api/settings/global", new StringContent("{\"hots\": \"evil\"}", System.Text.Encoding.UTF8, "application/json"));
        var badEnum = await admin.PutAsync("/api/settings/global", new StringContent("{\"encryption\": \"ssl\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.All(new[] { malformed, wrongType, unknown, badEnum }, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.NotNull((await malformed.ReadJsonAsync())["errors"]!["body"]);
        Assert.NotNull((await wrongType.ReadJsonAsync())["errors"]!["port"]);
        Assert.Contains("hots", (string?)(await unknown.ReadJsonAsync())["errors"]!["hots"]![0]);
        Assert.NotNull((await badEnum.ReadJsonAsync())["errors"]!["encryption"]);
        Assert.Equal("smtp.wp.pl", (string?)(await (await admin.GetAsync("/api/settings/global")).ReadJsonAsync())["host"]);
    }

    [Fact]
    public async Task EffectiveSettings_ShowEachValueAndItsSource()
    {
        using var factory = new MailroomServerFactory();
        var admin = factory.Admin();
        await admin.PutJsonAsync("/api/settings/global", new { host = "smtp.firma.pl", port = 465, encryption = "sslTls" });
        var anna = await factory.NewUserAsync("anna", "anna@firma.pl", displayName: "Anna Nowak");
        await anna.PutJsonAsync("/api/users/anna/settings", new { bcc = "archiwum@firma.pl" });

        var effective = await (await anna.GetAsync("/api/users/anna/settings/effective")).ReadJsonAsync();
        var fields = effective["fields"]!;

        Assert.Equal("smtp.firma.pl", (string?)fields["host"]!["value"]);
        Assert.Equal("global", (string?)fields["host"]!["source"]);
        Assert.Equal("archiwum@firma.pl", (string?)fields["bcc"]!["value"]);
        Assert.Equal("user", (string?)fields["bcc"]!["source"]);
        Assert.Equal("anna@firma.pl", (string?)fields["fromAddress"]!["value"]);
        Assert.Equal("userAccount", (string?)fields["fromAddress"]!["source"]);
        // No mode chosen but a server typed: mail goes through that server.
        Assert.Equal("ownSmtp", (string?)fields["senderMode"]!["value"]);
        Assert.Equal("systemDefault", (string?)fields["senderMode"]!["source"]);
    }

    [Fact]
    public async Task AuditTrail_RecordsWhoChangedWhichFields_NeverTheValues()
    {
        using var factory = new MailroomServerFactory();
        var admin = factory.Admin();
        await admin.PutJsonAsync("/api/settings/global", GmailProfile);
        await admin.PutJsonAsync("/api/settings/global", new { host = "smtp.onet.pl", port = 465, encryption = "sslTls", authentication = "password", password = "Inne-Haslo-456" });

        var response = await admin.GetAsync("/api/settings/audit?target=global");
        var text = await response.Content.ReadAsStringAsync();
        var entries = (await response.ReadJsonAsync()).AsArray();

        Assert.Equal(2, entries.Count);
        Assert.Equal("admin", (string?)entries[0]!["actorUserId"]);
        var newest = entries[0]!["changedFields"]!.AsArray().Select(f => (string?)f).ToArray();
        Assert.Contains("host", newest);
        Assert.Contains("password", newest);
        Assert.DoesNotContain("Inne-Haslo-456", text);
        Assert.DoesNotContain("smtp.onet.pl", text);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesEveryEndpoint()
    {
        using var factory = new MailroomServerFactory();

        var document = await (await factory.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync();
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToArray();

        foreach (var path in new[]
                 {
                     "/api/health", "/api/settings/global", "/api/settings/global/effective", "/api/users/{userId}/settings",
                     "/api/users/{userId}/settings/effective", "/api/users", "/api/users/{userId}/api-keys", "/api/settings/port-policy",
                     "/api/settings/shared-sender", "/api/settings/audit",
                 })
        {
            Assert.Contains(path, paths);
        }
    }
}
