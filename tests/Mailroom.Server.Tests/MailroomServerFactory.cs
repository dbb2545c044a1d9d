using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mailroom.Server.Tests;

/// <summary>
/// The real server in memory, on a private data folder with a real SQLite file and real
/// Data Protection keys. Every log line is kept so tests can prove no secret was logged.
/// </summary>
public sealed class MailroomServerFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    private readonly bool _withBootstrapKey;
    private readonly Action<IWebHostBuilder>? _configure;

    public MailroomServerFactory() : this(withBootstrapKey: true) { }

    public MailroomServerFactory(bool withBootstrapKey, Action<IWebHostBuilder>? configure = null)
    {
        _withBootstrapKey = withBootstrapKey;
        _configure = configure;
        DataDirectory = Directory.CreateTempSubdirectory("mailroom-server-").FullName;
    }

    /// <summary>A server on an existing data folder (a restart), which the caller deletes.</summary>
    public MailroomServerFactory(string dataDirectory, Action<IWebHostBuilder>? configure = null) : this(withBootstrapKey: true, configure)
    {
        Directory.Delete(DataDirectory);
        DataDirectory = dataDirectory;
        _ownsDataDirectory = false;
    }

    private readonly bool _ownsDataDirectory = true;

    public string DataDirectory { get; }

    public ConcurrentQueue<string> LogLines { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Mailroom:DataDirectory", DataDirectory);
        if (_withBootstrapKey) builder.UseSetting("Mailroom:Bootstrap:AdminApiKey", AdminKey);
        // The test bed listens on 127.0.0.1: the SSRF rule is opted out of explicitly here; tests of the rule set it back.
        builder.UseSetting("Mailroom:Security:BlockPrivateNetworksForUserProfiles", "false");
        builder.ConfigureServices(services =>
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new CollectingLoggerProvider(LogLines))));
        _configure?.Invoke(builder);
    }

    public HttpClient ClientWithKey(string key, string? language = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (language is not null) client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return client;
    }

    public HttpClient Admin(string? language = null) => ClientWithKey(AdminKey, language);

    /// <summary>Creates a user through the API and returns a client acting as them.</summary>
    public async Task<HttpClient> NewUserAsync(string id, string email, string role = "user", string? displayName = null)
    {
        var response = await Admin().PostAsJsonAsync("/api/users", new { id, email, role, displayName });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<CreatedUser>();
        return ClientWithKey(created!.ApiKey.Key);
    }

    /// <summary>Every byte Mailroom wrote to its data folder (database, WAL, keys), as text.</summary>
    public string AllStoredBytesAsText()
    {
        SqliteConnection.ClearAllPools();
        return string.Concat(Directory.EnumerateFiles(DataDirectory, "*", SearchOption.AllDirectories)
            .Select(f => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f))));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (_ownsDataDirectory) try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }

    public sealed record CreatedKey(string Id, string Name, string Key);

    public sealed record CreatedUser(CreatedKey ApiKey);

    private sealed class CollectingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CollectingLogger(categoryName, lines);

        public void Dispose() { }
    }

    private sealed class CollectingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
