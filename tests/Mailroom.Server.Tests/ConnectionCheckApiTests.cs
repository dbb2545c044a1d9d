using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Mailroom.Testing;

namespace Mailroom.Server.Tests;

/// <summary>"Check connection" through the API against the real Postfix + Dovecot test bed.</summary>
public class ConnectionCheckApiTests
{
    private static object SubmissionProfile(MailTestbed bed, string password) => new
    {
        host = bed.Host, port = bed.SubmissionPort, encryption = "startTls", authentication = "password",
        login = bed.UserName, password, certificateSha256 = bed.CertificateSha256,
    };

    private static async Task<HttpClient> AdminWithBedPortsAsync(MailroomServerFactory factory, MailTestbed bed)
    {
        var admin = factory.Admin();
        (await admin.PutJsonAsync("/api/settings/port-policy", new { additionalPorts = new[] { bed.SubmissionPort, bed.SmtpsPort, bed.PlainPort } })).EnsureSuccessStatusCode();
        return admin;
    }

    private static JsonNode Step(JsonNode report, string step) =>
        report["steps"]!.AsArray().Single(s => (string?)s!["step"] == step)!;

    [MailTestbedFact]
    public async Task UnsavedProfile_IsCheckedStepByStep_AndNothingIsSaved()
    {
        var bed = MailTestbed.Instance;
        using var factory = new MailroomServerFactory();
        var admin = await AdminWithBedPortsAsync(factory, bed);

        var response = await admin.PostAsJsonAsync("/api/settings/global/check", SubmissionProfile(bed, bed.Password));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var report = await response.ReadJsonAsync();
        Assert.Equal("ok", (string?)report["status"]);
        Assert.Equal("ok", (string?)Step(report, "startTls")["status"]);
        Assert.Equal("ok", (string?)Step(report, "auth")["status"]);
        Assert.Null((string?)(await (await admin.GetAsync("/api/settings/global")).ReadJsonAsync())["host"]);
        Assert.DoesNotContain(bed.Password, await response.Content.ReadAsStringAsync());
    }

    [MailTestbedFact]
    public async Task WrongPassword_FailsAtAuth_WithAHintInTheCallersLanguage()
    {
        var bed = MailTestbed.Instance;
        using var factory = new MailroomServerFactory();
        await AdminWithBedPortsAsync(factory, bed);

        var english = await (await factory.Admin().PostAsJsonAsync("/api/settings/global/check", SubmissionProfile(bed, "wrong-password"))).ReadJsonAsync();
        var polish = await (await factory.Admin("pl").PostAsJsonAsync("/api/settings/global/check", SubmissionProfile(bed, "wrong-password"))).ReadJsonAsync();

        Assert.Equal("failed", (string?)english["status"]);
        var auth = Step(english, "auth");
        Assert.Equal("failed", (string?)auth["status"]);
        Assert.NotEmpty(auth["hints"]!.AsArray());
        Assert.NotEqual((string?)english["summary"], (string?)polish["summary"]);
        Assert.NotEqual((string?)auth["hints"]![0]!["message"], (string?)Step(polish, "auth")["hints"]![0]!["message"]);
    }

    [MailTestbedFact]
    public async Task StoredUserProfile_IsChecked_AndOthersMayNotCheckIt()
    {
        var bed = MailTestbed.Instance;
        using var factory = new MailroomServerFactory();
        await AdminWithBedPortsAsync(factory, bed);
        var anna = await factory.NewUserAsync("anna", "anna@example.test");
        var jan = await factory.NewUserAsync("jan", "jan@example.test");
        (await anna.PutJsonAsync("/api/users/anna/settings", SubmissionProfile(bed, bed.Password))).EnsureSuccessStatusCode();

        var own = await anna.PostAsync("/api/users/anna/settings/check", null);
        var other = await jan.PostAsync("/api/users/anna/settings/check", null);

        Assert.Equal("ok", (string?)(await own.ReadJsonAsync())["status"]);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task NothingToCheck_IsA400ThatSaysWhy()
    {
        using var factory = new MailroomServerFactory();

        var systemSender = await factory.Admin().PostAsync("/api/settings/global/check", null);
        var noHost = await factory.Admin().PostAsJsonAsync("/api/settings/global/check", new { senderMode = "ownSmtp" });

        Assert.Equal("check.systemCaptures", (string?)(await systemSender.ReadJsonAsync())["issues"]![0]!["code"]);
        Assert.Equal("check.noServer", (string?)(await noHost.ReadJsonAsync())["issues"]![0]!["code"]);
    }
}
