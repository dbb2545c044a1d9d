using System.Net.Http.Json;
using Mailroom.Testing;
using Microsoft.Playwright;

namespace Mailroom.Ui.Tests;

/// <summary>
/// The built server as a child process on a loopback port, plus headless Chromium driven by
/// Playwright: one of each for the whole test collection.
/// </summary>
public sealed class UiServer : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Why the browser tests cannot run here (skipped unless CI=true), or null.</summary>
    public static string? ChromiumSkipReason =>
        File.Exists(ChromiumPath) || MailTestbed.IsCi ? null : $"SKIPPED, NO BROWSER: {ChromiumPath} is missing; ./test.sh installs Debian's chromium.";

    /// <summary>Where the tests save their screenshots (copied by hand into docs/screenshots).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(Path.GetTempPath(), "mailroom-ui-screenshots");

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mailroom-ui-" + Guid.NewGuid().ToString("N")[..8]);
    private MailroomServerProcess? _server;
    private IPlaywright? _playwright;

    /// <summary>The server's data folder (its SQLite database is <c>mailroom.db</c> there).</summary>
    public string DataDirectory => _dataDirectory;

    public string BaseUrl => $"http://127.0.0.1:{Server.Port}";
    public MailroomServerProcess Server => _server ?? throw new InvalidOperationException("Not started.");
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The first-start administrator, read from data/first-start-credentials.txt as a newcomer would.</summary>
    public string AdminEmail { get; private set; } = "";
    public string AdminPassword { get; private set; } = "";

    /// <summary>The API, as the first-start administrator.</summary>
    public HttpClient AdminApi => Server.Http;

    public async Task InitializeAsync()
    {
        if (ChromiumSkipReason is not null) return; // every test here is skipped, loudly
        Directory.CreateDirectory(_dataDirectory);
        Directory.CreateDirectory(ScreenshotDirectory);
        // With the mail test bed here, "Authenticate with Microsoft 365" signs in at its local OAuth2 server.
        var environment = MailTestbed.UnavailableReason is null
            ? MailTestbed.Instance.OAuth2.MailroomSettings().ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value)
            : new Dictionary<string, string>();
        _server = await MailroomServerProcess.StartAsync(_dataDirectory, environment);
        var credentials = await File.ReadAllLinesAsync(Path.Combine(_dataDirectory, "first-start-credentials.txt"));
        string Value(string label) => credentials.Single(l => l.StartsWith(label, StringComparison.Ordinal))[label.Length..].Trim().Split(' ')[0];
        AdminEmail = Value("Sign in:");
        AdminPassword = Value("Password:");
        Server.Http.DefaultRequestHeaders.Authorization = new("Bearer", Value("API key:"));

        // Generous: two cores shared with parallel builds.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>A fresh browser context (its own cookies) with a page at laptop width, or <paramref name="viewport"/>.</summary>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the form and waits for the start page.</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/signin");
        await page.GetByLabel("E-mail address").Or(page.GetByLabel("Adres e-mail")).FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("form button[type=submit]").Last.ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
    }

    /// <summary>A user with a sign-in password, created through the API.</summary>
    public async Task<(string Id, string Email, string Password)> CreateUserAsync(string name)
    {
        var email = $"{name}-{Guid.NewGuid().ToString("N")[..6]}@example.test";
        const string password = "correct horse battery";
        var response = await AdminApi.PostAsJsonAsync("/api/users", new { email, displayName = name, role = "user", password });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return (created.GetProperty("user").GetProperty("id").GetString()!, email, password);
    }

    /// <summary>Saves a full-page screenshot as <paramref name="name"/>.png in <see cref="ScreenshotDirectory"/>.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class UiCollection : ICollectionFixture<UiServer>
{
    public const string Name = "web UI";
}
