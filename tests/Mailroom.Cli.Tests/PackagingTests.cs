using Mailroom.Testing;

namespace Mailroom.Cli.Tests;

/// <summary>
/// The CLI as users get it: packed as a .NET tool, installed with <c>dotnet tool install</c> from
/// that package alone (no other feed), and the installed <c>mailroom</c> command run against a server.
/// </summary>
[Collection(CliServerCollection.Name)]
public class PackagingTests(CliServerFixture fixture)
{
    private static readonly TimeSpan DotnetTimeout = TimeSpan.FromMinutes(5);
    private static readonly IReadOnlyDictionary<string, string?> NoEnvironment = new Dictionary<string, string?>();

    [Fact]
    public async Task PackedTool_InstallsFromItsPackage_AndTheInstalledCommandTalksToTheServer()
    {
        var work = Directory.CreateTempSubdirectory("mailroom-pack-").FullName;
        try
        {
            var project = Path.Combine(MailTestbed.FindRepositoryRoot(), "src", "Mailroom.Cli", "Mailroom.Cli.csproj");
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<configuration>/net10.0
            // Packs what the test run already built (no second build of the solution's projects beside the running tests).
            var pack = await CliProcess.RunProgramAsync("dotnet",
                ["pack", project, "--no-build", "--no-restore", "-c", configuration, "-o", Path.Combine(work, "packages"), $"-p:PublishDir={Path.Combine(work, "publish")}/"],
                NoEnvironment, null, DotnetTimeout);
            Assert.True(pack.ExitCode == 0, pack.ToString());
            var package = Assert.Single(Directory.GetFiles(Path.Combine(work, "packages"), "Mailroom.Cli.*.nupkg"));

            // A feed of that one folder: the tool carries everything it needs.
            var config = Path.Combine(work, "nuget.config");
            await File.WriteAllTextAsync(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration><packageSources><clear /><add key="local" value="{Path.Combine(work, "packages")}" /></packageSources></configuration>
                """);
            var install = await CliProcess.RunProgramAsync("dotnet",
                ["tool", "install", "Mailroom.Cli", "--tool-path", Path.Combine(work, "tools"), "--configfile", config, "--prerelease"],
                NoEnvironment, null, DotnetTimeout);
            Assert.True(install.ExitCode == 0, install.ToString());
            Assert.Contains("mailroom", install.Out);

            var tool = Path.Combine(work, "tools", "mailroom");
            var help = await CliProcess.RunProgramAsync(tool, ["--help"], NoEnvironment, null, DotnetTimeout);
            var version = await CliProcess.RunProgramAsync(tool, ["--version"], NoEnvironment, null, DotnetTimeout);
            var users = await CliProcess.RunProgramAsync(tool, ["users", "list", "--json"],
                new Dictionary<string, string?> { ["MAILROOM_SERVER"] = fixture.Url, ["MAILROOM_API_KEY"] = CliServerFixture.AdminKey }, null, DotnetTimeout);

            Assert.True(help.ExitCode == 0, help.ToString());
            Assert.Contains("serve", help.Out);
            Assert.Contains("send", help.Out);
            Assert.Matches(@"^\d+\.\d+\.\d+", version.Out.Trim());
            Assert.Contains(Path.GetFileNameWithoutExtension(package)["Mailroom.Cli.".Length..], version.Out);
            Assert.True(users.ExitCode == 0, users.ToString());
            Assert.NotNull(users.Json.AsArray());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
