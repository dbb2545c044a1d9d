using System.Net;
using System.Net.Http.Json;

namespace Mailroom.Server.Tests;

public class AccessTests
{
    [Fact]
    public async Task User_ReadsAndChangesOnlyTheirOwnProfile()
    {
        using var factory = new MailroomServerFactory();
        var anna = await factory.NewUserAsync("anna", "anna@firma.pl");
        await factory.NewUserAsync("jan", "jan@firma.pl");

        Assert.Equal(HttpStatusCode.OK, (await anna.PutJsonAsync("/api/users/anna/settings", new { signature = "Anna" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anna.GetAsync("/api/users/anna/settings")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await anna.GetAsync("/api/users/jan/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anna.PutJsonAsync("/api/users/jan/settings", new { signature = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anna.GetAsync("/api/users/jan/settings/effective")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anna.GetAsync("/api/users/jan/api-keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anna.GetAsync("/api/users/jan")).StatusCode);
    }

    [Fact]
    public async Task User_CannotTouchAdministratorSettings()
    {
        using var factory = new MailroomServerFactory();
        var anna = await factory.NewUserAsync("anna", "anna@firma.pl");

        Assert.Equal(HttpStatusCode.Forbidden, (await anna.GetAsync("/api/settings/global")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anna.PutJsonAsync("/api/settings/global", new { host = "evil.example" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anna.PutJsonAsync("/api/settings/port-policy", new { additionalPorts = new[] { 2525 } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anna.PutJsonAsync("/api/settings/shared-sender", new { userId = "anna" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anna.GetAsync("/api/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anna.PostAsJsonAsync("/api/users", new { email = "x@firma.pl", role = "administrator" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anna.GetAsync("/api/settings/port-policy")).StatusCode);
    }

    [Fact]
    public async Task Administrator_ManagesAnyUsersProfile()
    {
        using var factory = new MailroomServerFactory();
        await factory.NewUserAsync("anna", "anna@firma.pl");

        Assert.Equal(HttpStatusCode.OK, (await factory.Admin().PutJsonAsync("/api/users/anna/settings", new { signature = "Set by admin" })).StatusCode);
        Assert.Equal("Set by admin", (string?)(await (await factory.Admin().GetAsync("/api/users/anna/settings")).ReadJsonAsync())["signature"]);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.Admin().GetAsync("/api/users/nobody/settings")).StatusCode);
    }

    [Fact]
    public async Task RevokedKey_StopsWorkingAtOnce()
    {
        using var factory = new MailroomServerFactory();
        var anna = await factory.NewUserAsync("anna", "anna@firma.pl");
        var created = await (await anna.PostAsJsonAsync("/api/users/anna/api-keys", new { name = "script" })).ReadJsonAsync();
        var scriptKey = (string)created["key"]!;
        var script = factory.ClientWithKey(scriptKey);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/users/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await anna.DeleteAsync($"/api/users/anna/api-keys/{created["id"]}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/users/me")).StatusCode);
        var listed = await (await anna.GetAsync("/api/users/anna/api-keys")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(scriptKey, listed);
        Assert.Contains("revokedAt", listed);
    }

    [Fact]
    public async Task CreatingUsers_ValidatesIdEmailAndDuplicates()
    {
        using var factory = new MailroomServerFactory();
        var admin = factory.Admin();
        await factory.NewUserAsync("anna", "anna@firma.pl");

        var badEmail = await admin.PostAsJsonAsync("/api/users", new { email = "not-an-address" });
        var badId = await admin.PostAsJsonAsync("/api/users", new { id = "a b\r\n", email = "ab@firma.pl" });
        var duplicate = await admin.PostAsJsonAsync("/api/users", new { email = "ANNA@firma.pl" });
        var shortPassword = await admin.PostAsJsonAsync("/api/users", new { email = "p@firma.pl", password = "short" });

        Assert.Equal(HttpStatusCode.BadRequest, badEmail.StatusCode);
        Assert.NotNull((await badEmail.ReadJsonAsync())["errors"]!["email"]);
        Assert.NotNull((await badId.ReadJsonAsync())["errors"]!["id"]);
        Assert.NotNull((await duplicate.ReadJsonAsync())["errors"]!["email"]);
        Assert.NotNull((await shortPassword.ReadJsonAsync())["errors"]!["password"]);
        Assert.Equal(2, (await (await admin.GetAsync("/api/users")).ReadJsonAsync()).AsArray().Count);
    }
}
