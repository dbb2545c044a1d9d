using System.Text.Json.Nodes;
using Mailroom.Testing;

namespace Mailroom.Cli.Tests;

/// <summary>
/// oauth login --device-code against a server configured for the local OAuth2 test server
/// (testbed/oauth2-server.py, started with the mail test bed): the test approves the printed code
/// on the device page, as a person would on their phone.
/// </summary>
public class OAuthLoginTests
{
    private const string AdminKey = "cli-oauth-admin-key-7e2d4c9b1a";

    private static async Task<(MailroomServerProcess Server, string DataDirectory)> StartServerAsync(MailTestbed bed)
    {
        var data = Directory.CreateTempSubdirectory("mailroom-cli-oauth-").FullName;
        var environment = new Dictionary<string, string> { ["Mailroom__Bootstrap__AdminApiKey"] = AdminKey };
        foreach (var (key, value) in bed.OAuth2.MailroomSettings()) environment[key.Replace(":", "__")] = value;
        return (await MailroomServerProcess.StartAsync(data, environment, AdminKey), data);
    }

    [MailTestbedFact]
    public async Task DeviceCodeLogin_PrintsCodeAndUrl_WaitsForApproval_AndStoresTheSignIn()
    {
        var bed = MailTestbed.Instance;
        var (server, data) = await StartServerAsync(bed);
        try
        {
            var url = $"http://127.0.0.1:{server.Port}";
            await using var login = RunningCli.Start(url, AdminKey, "oauth", "login", "--device-code", "--provider", "microsoft365", "--json");

            var started = JsonNode.Parse((await login.ReadLineAsync())!)!;
            Assert.Equal("started", (string?)started["status"]);
            var userCode = (string)started["userCode"]!;
            Assert.StartsWith(bed.OAuth2.Issuer, (string)started["verificationUri"]!);
            Assert.Contains(userCode, (string)started["message"]!);
            Assert.Null(started["handle"]);

            await bed.OAuth2.ApproveDeviceAsync(userCode, bed.UserName);
            var result = await login.WaitAsync(90);

            Assert.True(result.ExitCode == 0, result.ToString());
            var done = JsonNode.Parse(result.Out.Trim())!;
            Assert.Equal("done", (string?)done["status"]);
            Assert.Equal(bed.UserName, (string?)done["account"]);
            var grant = JsonNode.Parse(await server.Http.GetStringAsync("/api/oauth/grants/global"))!;
            Assert.Equal(bed.UserName, (string?)grant["account"]);
            Assert.Equal("microsoft365", (string?)grant["provider"]);
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    [MailTestbedFact]
    public async Task DeviceCodeLogin_Denied_IsExit8_AndNothingIsStored_HumanOutputShowsTheCode()
    {
        var bed = MailTestbed.Instance;
        var (server, data) = await StartServerAsync(bed);
        try
        {
            var url = $"http://127.0.0.1:{server.Port}";
            await using var login = RunningCli.Start(url, AdminKey, "oauth", "login", "--device-code");

            var instruction = (await login.ReadLineAsync())!;
            var code = (await login.ReadLineAsync())!.Trim();
            var uri = (await login.ReadLineAsync())!.Trim();
            Assert.StartsWith("code: ", code);
            var userCode = code["code: ".Length..];
            Assert.Contains(userCode, instruction);
            Assert.Equal("url:  " + bed.OAuth2.Issuer + "/device", uri);
            await bed.OAuth2.ApproveDeviceAsync(userCode, bed.UserName, allow: false);
            var result = await login.WaitAsync(90);

            Assert.True(result.ExitCode == 8, result.ToString());
            Assert.StartsWith("error: ", result.Error.Split('\n').First(l => l.StartsWith("error: ")));
            var grant = await server.Http.GetAsync("/api/oauth/grants/global");
            Assert.Equal(System.Net.HttpStatusCode.NotFound, grant.StatusCode);
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task OAuthLogin_WithoutDeviceCode_IsExit2()
    {
        var result = await CliProcess.RunAsync(new Dictionary<string, string?> { ["MAILROOM_SERVER"] = "http://127.0.0.1:9", ["MAILROOM_API_KEY"] = "x" }, null,
            "oauth", "login", "--provider", "google");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--device-code", result.Error);
    }
}
