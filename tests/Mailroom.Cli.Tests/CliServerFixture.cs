using Mailroom.Testing;

namespace Mailroom.Cli.Tests;

/// <summary>One running server (the real process) that the CLI tests of a collection talk to.</summary>
public sealed class CliServerFixture : IAsyncLifetime
{
    public const string AdminKey = "cli-tests-admin-key-5c1e8b2d9f7a";

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("mailroom-cli-").FullName;

    public MailroomServerProcess Server { get; private set; } = null!;

    public string Url => $"http://127.0.0.1:{Server.Port}";

    public async Task InitializeAsync()
    {
        Server = await MailroomServerProcess.StartAsync(DataDirectory, new Dictionary<string, string>
        {
            ["Mailroom__Bootstrap__AdminApiKey"] = AdminKey,
            ["Mailroom__Delivery__PollInterval"] = "00:00:00.200",
            ["Mailroom__Delivery__SmtpTimeout"] = "00:00:10",
            ["Mailroom__Delivery__RetryDelays"] = "00:10:00",
        }, AdminKey);
    }

    /// <summary>Runs the CLI against this server with <paramref name="apiKey"/> (the administrator's by default).</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunAsAsync(AdminKey, null, args);

    public Task<CliResult> RunAsAsync(string? apiKey, string? stdin, params string[] args) =>
        CliProcess.RunAsync(new Dictionary<string, string?> { ["MAILROOM_SERVER"] = Url, ["MAILROOM_API_KEY"] = apiKey }, stdin, args);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class CliServerCollection : ICollectionFixture<CliServerFixture>
{
    public const string Name = "CLI against one server";
}
