using System.Net;

namespace Mailroom.Server.Tests;

public class ValidationApiTests
{
    [Fact]
    public async Task PortOutsideThePolicy_IsRefusedNamingTheAllowedPorts_InEnglishAndPolish_NothingSaved()
    {
        using var factory = new MailroomServerFactory();
        await factory.Admin().PutJsonAsync("/api/settings/global", new { host = "smtp.wp.pl", port = 587 });

        var english = await factory.Admin().PutJsonAsync("/api/settings/global", new { host = "smtp.wp.pl", port = 2525 });
        var polish = await factory.Admin("pl").PutJsonAsync("/api/settings/global", new { host = "smtp.wp.pl", port = 2525 });

        Assert.Equal(HttpStatusCode.BadRequest, english.StatusCode);
        var englishMessage = (string)(await english.ReadJsonAsync())["errors"]!["port"]![0]!;
        var polishBody = await polish.ReadJsonAsync();
        var polishMessage = (string)polishBody["errors"]!["port"]![0]!;
        Assert.Contains("25, 465, 587", englishMessage);
        Assert.Contains("25, 465, 587", polishMessage);
        Assert.NotEqual(englishMessage, polishMessage);
        Assert.Equal("Niektóre pola są niepoprawne. Nic nie zostało zapisane.", (string?)polishBody["title"]);
        Assert.Equal("port.notAllowed", (string?)polishBody["issues"]![0]!["code"]);
        Assert.Equal(587, (int?)(await (await factory.Admin().GetAsync("/api/settings/global")).ReadJsonAsync())["port"]);
    }

    [Fact]
    public async Task ApiProblems_SpeakTheLanguageChosenInTheWebUi_OverAcceptLanguage()
    {
        using var factory = new MailroomServerFactory();
        var browser = factory.Admin("en");
        browser.DefaultRequestHeaders.Add("Cookie", $"{Mailroom.Server.WebUi.WebUiHosting.LanguageCookie}=pl"); // chosen on the pages

        var response = await browser.PutJsonAsync("/api/settings/global", new { host = "smtp.wp.pl", port = 2525 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Niektóre pola są niepoprawne. Nic nie zostało zapisane.", (string?)(await response.ReadJsonAsync())["title"]);
    }

    [Fact]
    public async Task AdministratorOpensAPort_ThenItIsAccepted()
    {
        using var factory = new MailroomServerFactory();
        var admin = factory.Admin();

        var policy = await admin.PutJsonAsync("/api/settings/port-policy", new { additionalPorts = new[] { 2525 } });
        var saved = await admin.PutJsonAsync("/api/settings/global", new { host = "smtp.example.com", port = 2525, encryption = "startTls" });

        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        Assert.Equal([25, 465, 587, 2525], (await (await admin.GetAsync("/api/settings/port-policy")).ReadJsonAsync())["allowedPorts"]!.AsArray().Select(p => (int)p!));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutJsonAsync("/api/settings/port-policy", new { additionalPorts = new[] { 70000 } })).StatusCode);
    }

    [Fact]
    public async Task SeveralBadFields_AreAllReportedAtOnce_AndNothingIsHalfSaved()
    {
        using var factory = new MailroomServerFactory();
        var admin = factory.Admin();
        await admin.PutJsonAsync("/api/settings/global", new { host = "smtp.wp.pl", displayName = "Firma" });

        var response = await admin.PutJsonAsync("/api/settings/global", new
        {
            host = "smtp.onet.pl",
            displayName = "Firma\r\nBcc: victim@example.com",
            fromAddress = "not an address",
            authentication = "password",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync())["errors"]!.AsObject();
        Assert.Contains("displayName", errors.Select(e => e.Key));
        Assert.Contains("fromAddress", errors.Select(e => e.Key));
        Assert.Contains("password", errors.Select(e => e.Key));
        var stored = await (await admin.GetAsync("/api/settings/global")).ReadJsonAsync();
        Assert.Equal("smtp.wp.pl", (string?)stored["host"]);
        Assert.Equal("Firma", (string?)stored["displayName"]);
    }

    [Fact]
    public async Task HostPortNotation_IsSplit_AndWarningsDoNotStopTheSave()
    {
        using var factory = new MailroomServerFactory();

        var response = await factory.Admin().PutJsonAsync("/api/settings/global", new { host = "smtp.wp.pl:587", encryption = "sslTls" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("smtp.wp.pl", (string?)body["profile"]!["host"]);
        Assert.Equal(587, (int?)body["profile"]!["port"]);
        var warning = body["warnings"]!.AsArray().Single()!;
        Assert.Equal("encryption", (string?)warning["field"]);
        Assert.Equal("warning", (string?)warning["severity"]);
    }

    [Fact]
    public async Task SharedSender_UsersMayThenChangeOnlyLoginAndPassword()
    {
        using var factory = new MailroomServerFactory();
        var admin = factory.Admin();
        var shared = await factory.NewUserAsync("biuro", "biuro@firma.pl");
        var anna = await factory.NewUserAsync("anna", "anna@firma.pl");
        await shared.PutJsonAsync("/api/users/biuro/settings", new { host = "smtp.firma.pl", port = 465, encryption = "sslTls", authentication = "password", login = "biuro@firma.pl", password = "Haslo-Biura-1" });
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJsonAsync("/api/settings/shared-sender", new { userId = "biuro" })).StatusCode);

        var refused = await anna.PutJsonAsync("/api/users/anna/settings", new { host = "smtp.gmail.com", login = "anna@firma.pl", password = "Haslo-Anny-2" });
        var accepted = await anna.PutJsonAsync("/api/users/anna/settings", new { login = "anna@firma.pl", password = "Haslo-Anny-2" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var issue = (await refused.ReadJsonAsync())["issues"]!.AsArray().Single()!;
        Assert.Equal("host", (string?)issue["field"]);
        Assert.Equal("sharedSender.onlyCredentials", (string?)issue["code"]);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        var fields = (await (await anna.GetAsync("/api/users/anna/settings/effective")).ReadJsonAsync())["fields"]!;
        Assert.Equal("smtp.firma.pl", (string?)fields["host"]!["value"]);
        Assert.Equal("sharedSender", (string?)fields["host"]!["source"]);
        Assert.Equal("anna@firma.pl", (string?)fields["login"]!["value"]);
        Assert.Equal("user", (string?)fields["login"]!["source"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutJsonAsync("/api/settings/shared-sender", new { userId = "nobody" })).StatusCode);
    }
}

public class InheritedHostValidationTests
{
    [Fact]
    public async Task UserOfASharedGmailAccount_TypingAnAppPasswordWithSpaces_GetsItStripped()
    {
        using var factory = new MailroomServerFactory();
        await factory.Admin().PutJsonAsync("/api/settings/global", new { host = "smtp.gmail.com", port = 465, encryption = "sslTls", authentication = "password", login = "firma@gmail.com", password = "abcdefghijklmnop" });
        var anna = await factory.NewUserAsync("anna", "anna@gmail.com");

        var saved = await anna.PutJsonAsync("/api/users/anna/settings", new { login = "anna@gmail.com", password = "abcd efgh ijkl mnop" });
        var wrongShape = await anna.PutJsonAsync("/api/users/anna/settings", new { login = "anna@gmail.com", password = "Haslo-123!" });

        Assert.Equal(System.Net.HttpStatusCode.OK, saved.StatusCode);
        Assert.Empty((await saved.ReadJsonAsync())["warnings"]!.AsArray());
        var warning = (await wrongShape.ReadJsonAsync())["warnings"]!.AsArray().Single()!;
        Assert.Equal("password.gmailAppPasswordExpected", (string?)warning["code"]);
    }
}
