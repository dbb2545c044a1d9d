using System.Net.Http.Json;
using Mailroom.Testing;

namespace Mailroom.Cli.Tests;

/// <summary>check and test against the real Postfix/Dovecot test bed.</summary>
[Collection(CliServerCollection.Name)]
public class TestbedTests(CliServerFixture fixture)
{
    private async Task<string> UserOnTheTestbedAsync(string password)
    {
        var bed = MailTestbed.Instance;
        // Test set-up, not under test: open the test bed's submission port.
        (await fixture.Server.Http.PutAsJsonAsync("/api/settings/port-policy", new { additionalPorts = new[] { bed.SubmissionPort } })).EnsureSuccessStatusCode();
        var id = "t" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, (await fixture.RunAsync("users", "add", "--email", $"{id}@example.test", "--id", id)).ExitCode);
        var set = await fixture.RunAsAsync(CliServerFixture.AdminKey, password + "\n", "settings", "set", "--user", id, "--password-stdin",
            "senderMode=ownSmtp", $"host={bed.Host}", $"port={bed.SubmissionPort}", "encryption=startTls", "authentication=password",
            $"login={bed.UserName}", $"certificateSha256={bed.CertificateSha256}");
        Assert.True(set.ExitCode == 0, set.ToString());
        return id;
    }

    [MailTestbedFact]
    public async Task Check_PrintsTheTranscript_AndTest_DeliversToTheMailbox()
    {
        var bed = MailTestbed.Instance;
        var id = await UserOnTheTestbedAsync(bed.Password);

        var check = await fixture.RunAsync("check", "--user", id);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("[ok  ]", check.Out);
        Assert.DoesNotContain("[FAIL]", check.Out);
        var json = await fixture.RunAsync("check", "--user", id, "--json");
        Assert.Equal("ok", (string?)json.Json["status"]);
        Assert.DoesNotContain(bed.Password, check.Out + json.Out);

        var subject = $"CLI test {Guid.NewGuid():N}";
        var test = await fixture.RunAsync("test", "--user", id, "--to", bed.UserName, "--subject", subject, "--wait", "--json");
        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Equal("sent", (string?)test.Json["status"]);
        Assert.Equal(250, (int?)test.Json["history"]!.AsArray().Last()!["reply"]!["code"]);
        var received = await bed.WaitForMessagesAsync(bed.UserName, m => m.Subject == subject, TimeSpan.FromSeconds(30));
        Assert.Single(received);
    }

    [MailTestbedFact]
    public async Task Check_WithAWrongPassword_FailsAtLogin_Exit8()
    {
        var id = await UserOnTheTestbedAsync("definitely-not-the-password");

        var check = await fixture.RunAsync("check", "--user", id);

        Assert.Equal(8, check.ExitCode);
        Assert.Contains("[FAIL]", check.Out);
        Assert.DoesNotContain("definitely-not-the-password", check.Out + check.Error);
    }
}
