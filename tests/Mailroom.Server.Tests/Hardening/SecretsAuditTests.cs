using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Mailroom.Core.Security;
using Mailroom.Core.Settings;
using Mailroom.Core.Storage;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Server.Tests.Hardening;

/// <summary>
/// A full scenario plants every kind of secret Mailroom handles, then every place a secret could
/// leak is searched for each one: the data folder (database, WAL, keys), every log line, every API
/// answer (every GET in the OpenAPI document, so new endpoints are covered), every UI page and the
/// reports (audit trail, statistics, metrics). Zero hits. A new kind of secret is one line in
/// <see cref="Secrets"/>.
/// </summary>
public class SecretsAuditTests
{
    /// <summary>The scenario's shared state: the server, the admin client, and answers that are allowed to show a secret once.</summary>
    public sealed class Scenario(MailroomServerFactory factory)
    {
        public MailroomServerFactory Factory { get; } = factory;
        public HttpClient Admin { get; } = factory.Admin();
        public List<string> Responses { get; } = [];

        public async Task<HttpResponseMessage> Record(Task<HttpResponseMessage> call)
        {
            var response = await call;
            Responses.Add(await response.Content.ReadAsStringAsync());
            return response;
        }
    }

    /// <summary>One kind of secret: how the scenario plants it; returns the secret's value.</summary>
    public sealed record SecretKind(string Name, Func<Scenario, Task<string>> Plant)
    {
        public override string ToString() => Name;
    }

    public static readonly SecretKind[] Secrets =
    [
        new("global SMTP password", async s =>
        {
            const string secret = "Global-Smtp-Secret-K2v8-Unique";
            (await s.Record(s.Admin.PutJsonAsync("/api/settings/global", new { host = "smtp.example.test", port = 587, encryption = "startTls", authentication = "password", login = "firma@example.test", password = secret }))).EnsureSuccessStatusCode();
            return secret;
        }),
        new("user SMTP password", async s =>
        {
            const string secret = "User-Smtp-Secret-R5t1-Unique";
            var anna = await s.Factory.NewUserAsync("anna", "anna@firma.pl");
            (await s.Record(anna.PutJsonAsync("/api/users/anna/settings", new { authentication = "password", login = "anna@example.test", password = secret }))).EnsureSuccessStatusCode();
            await s.Record(anna.PutJsonAsync("/api/users/anna/settings", new { port = 1, password = secret })); // refused save: must not echo it
            return secret;
        }),
        new("API key created through the API (shown once)", async s =>
        {
            var created = await (await s.Admin.PostAsJsonAsync("/api/users/admin/api-keys", new { name = "ci" })).ReadJsonAsync();
            var key = (string)created["key"]!;
            (await s.Record(s.Factory.ClientWithKey(key).GetAsync("/api/users/me"))).EnsureSuccessStatusCode();
            return key;
        }),
        new("bootstrap administrator API key", _ => Task.FromResult(MailroomServerFactory.AdminKey)),
        new("web sign-in password", async s =>
        {
            (await s.Admin.PostAsJsonAsync("/api/users", new { id = "ops", email = WebSecurityTests.AdminEmail, role = "administrator", password = WebSecurityTests.AdminPassword })).EnsureSuccessStatusCode();
            await new WebSession(s.Factory).SignInAsync(WebSecurityTests.AdminEmail, "a wrong guess first");
            return WebSecurityTests.AdminPassword;
        }),
        new("OAuth refresh token (a user's device-code sign-in at the test bed's OAuth2 server)", async s =>
        {
            await OAuthSignInAsync(s);
            var grant = await s.Factory.Services.GetRequiredService<Mailroom.Core.OAuth.IOAuthGrantStore>().GetAsync(ProfileScope.ForUser("olek"));
            return s.Factory.Services.GetRequiredService<ISecretProtector>().Unprotect(grant!.ProtectedRefreshToken!);
        }),
        new("OAuth access token", async s =>
        {
            await OAuthSignInAsync(s);
            return (await s.Factory.Services.GetRequiredService<Mailroom.Core.OAuth.IOAuthTokenSource>()
                .GetForSenderAsync("olek", Mailroom.Core.OAuth.OAuthProvider.Microsoft365)).Token;
        }),
        new("OAuth client secret (configuration)", _ => Task.FromResult(Testing.MailTestbed.Instance.OAuth2.ClientSecret)),
        new("webhook signing secret (shown once at creation)", async s =>
        {
            var created = await (await s.Admin.PostAsJsonAsync("/api/webhooks", new { url = "https://hooks.example.test/mailroom", eventTypes = new[] { "*" } })).ReadJsonAsync();
            var secret = (string)created["secret"]!;
            Assert.False(string.IsNullOrWhiteSpace(secret));
            return secret;
        }),
    ];

    // One device-code sign-in per scenario, by user "olek" for his own profile (the OAuth kinds share it).
    private static async Task OAuthSignInAsync(Scenario s)
    {
        var grants = s.Factory.Services.GetRequiredService<Mailroom.Core.OAuth.IOAuthGrantStore>();
        if (await grants.GetAsync(ProfileScope.ForUser("olek")) is not null) return;
        var bed = Testing.MailTestbed.Instance;
        var olek = await s.Factory.NewUserAsync("olek", "olek@firma.pl");
        // His profile sends as the test bed's mailbox with OAuth2 (the token must belong to the sender's login).
        var saved = await s.Record(olek.PutJsonAsync("/api/users/olek/settings", new { authentication = "oauth2Microsoft365", login = bed.UserName }));
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        var started = await (await s.Record(olek.PostAsJsonAsync("/api/oauth/device/start", new { provider = "microsoft365", scope = "me" }))).ReadJsonAsync();
        await bed.OAuth2.ApproveDeviceAsync((string)started["userCode"]!, bed.UserName);
        var done = await (await s.Record(olek.PostAsJsonAsync("/api/oauth/device/poll", new { handle = (string)started["handle"]! }))).ReadJsonAsync();
        Assert.True(done["status"]?.ToString() == "done", done.ToJsonString());
    }

    [Testing.MailTestbedFact]
    public async Task FullScenario_NoSecretAppearsInStorageLogsApiAnswersPagesOrReports()
    {
        // The OAuth kinds sign in at the test bed's OAuth2 server (oidc-provider), so the server is pointed at it.
        using var factory = new MailroomServerFactory(withBootstrapKey: true, b =>
        {
            foreach (var (key, value) in Testing.MailTestbed.Instance.OAuth2.MailroomSettings()) b.UseSetting(key, value);
        });
        var scenario = new Scenario(factory);
        var planted = new List<(string Name, string Value)>();
        foreach (var kind in Secrets) planted.Add((kind.Name, await kind.Plant(scenario)));

        // Every GET the API offers, with the path filled in.
        var document = await (await scenario.Admin.GetAsync("/openapi/v1.json")).ReadJsonAsync();
        scenario.Responses.Add(document.ToJsonString());
        foreach (var (path, item) in document["paths"]!.AsObject())
            if (item!["get"] is not null)
                await scenario.Record(scenario.Admin.GetAsync(path.Replace("{userId}", "anna").Replace("{messageId}", "none")));
        foreach (var report in new[] { "/api/settings/audit", "/api/messages/stats", "/api/metrics", "/api/health/ready" })
            await scenario.Record(scenario.Admin.GetAsync(report));
        // Every UI page an administrator can reach.
        var browser = new WebSession(factory);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(WebSecurityTests.AdminEmail, WebSecurityTests.AdminPassword)).StatusCode);
        var pages = await browser.CrawlAsync();
        Assert.True(pages.Count >= 6, "the crawl found too few pages to mean anything");

        // While the server runs the WAL holds the latest writes: read every file now, and again after the checkpoint.
        Assert.True(Directory.EnumerateFiles(factory.DataDirectory, "*-wal", SearchOption.AllDirectories).Any(), "no WAL file to scan");
        var live = string.Concat(Directory.EnumerateFiles(factory.DataDirectory, "*", SearchOption.AllDirectories)
            .Select(f => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        var stored = live + factory.AllStoredBytesAsText();
        Assert.Contains("anna@example.test", stored); // the scan does read the database: the login is stored in clear
        var hits = new List<string>();
        foreach (var (name, value) in planted)
        {
            if (stored.Contains(value, StringComparison.Ordinal)) hits.Add($"{name}: in the data folder");
            if (factory.LogLines.Any(l => l.Contains(value, StringComparison.Ordinal))) hits.Add($"{name}: in the log");
            if (scenario.Responses.Any(r => r.Contains(value, StringComparison.Ordinal))) hits.Add($"{name}: in an API answer");
            foreach (var page in pages.Where(p => p.Value.Body.Contains(value, StringComparison.Ordinal))) hits.Add($"{name}: on page {page.Key}");
        }
        Assert.True(hits.Count == 0, string.Join("\n", hits));
        Assert.Equal(Secrets.Length, planted.Count);
    }

    [Fact]
    public async Task KeyRotation_OldSecretsStillDecrypt_AfterANewKeyBecomesDefault_AndTheOldOneExpires()
    {
        const string password = "Rotated-Secret-M3p6-Unique";
        using var first = new MailroomServerFactory();
        (await first.Admin().PutJsonAsync("/api/settings/global", new { host = "smtp.example.test", port = 587, encryption = "startTls", authentication = "password", login = "firma@example.test", password })).EnsureSuccessStatusCode();
        var before = (await first.Services.GetRequiredService<ISettingsStore>().GetProfileAsync(ProfileScope.Global))!.ProtectedPassword!;
        var keysFolder = Path.Combine(first.DataDirectory, "keys");
        var oldKeyFile = Assert.Single(Directory.GetFiles(keysFolder, "key-*.xml"));

        // Rotation as docs/security.md describes it: the old key expires (here: at once), a new one becomes default.
        var keyManager = first.Services.GetRequiredService<IKeyManager>();
        keyManager.CreateNewKey(activationDate: DateTimeOffset.UtcNow.AddSeconds(-1), expirationDate: DateTimeOffset.UtcNow.AddDays(90));
        var xml = XDocument.Load(oldKeyFile);
        xml.Root!.Element("expirationDate")!.Value = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("o");
        xml.Save(oldKeyFile);

        using var second = new MailroomServerFactory(withBootstrapKey: true, b => b.UseSetting("Mailroom:DataDirectory", first.DataDirectory));
        var secrets = second.Services.GetRequiredService<ISecretProtector>();
        var after = secrets.Protect(password);

        Assert.Equal(password, secrets.Unprotect(before));
        Assert.NotEqual(KeyIdOf(before), KeyIdOf(after));
        Assert.True(File.Exists(oldKeyFile), "the expired key must stay in the ring: it still decrypts old secrets");
        var effective = await (await second.Admin().GetAsync("/api/settings/global/effective")).ReadJsonAsync();
        Assert.True((bool)effective["fields"]!["password"]!["value"]!);
    }

    // Data Protection payloads: 4-byte magic header, then the 16-byte id of the key that encrypted them.
    private static Guid KeyIdOf(string protectedText)
    {
        var base64 = protectedText.Replace('-', '+').Replace('_', '/');
        var bytes = Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='));
        return new Guid(bytes.AsSpan(4, 16));
    }
}
