using Mailroom.Testing;

namespace Mailroom.Server.Tests;

/// <summary>The server as an operator runs it: a process configured by environment variables.</summary>
public class ServerProcessTests
{
    [Fact]
    public async Task BootstrapAdminKey_FromTheEnvironmentVariable_WorksOnTheAddressFromAspNetCoreUrls()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("mailroom-process-").FullName;
        const string key = "env-bootstrap-key-4f1c2e9a7b6d5c3e";
        try
        {
            await using var server = await MailroomServerProcess.StartAsync(dataDirectory,
                new Dictionary<string, string> { ["Mailroom__Bootstrap__AdminApiKey"] = key }, apiKey: key);

            var me = await (await server.Http.GetAsync("/api/users/me")).ReadJsonAsync();

            Assert.Equal("administrator", (string?)me["role"]);
            Assert.False(File.Exists(Path.Combine(dataDirectory, "first-start-credentials.txt")), "with a bootstrap key no generated credentials are needed");
            Assert.DoesNotContain(server.Output, line => line.Contains(key, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
