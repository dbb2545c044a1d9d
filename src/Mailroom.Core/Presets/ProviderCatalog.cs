using System.Text.Json;
using System.Text.Json.Serialization;
using Mailroom.Core.Localization;
using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;

namespace Mailroom.Core.Presets;

/// <summary>What a provider expects as the SMTP login.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LoginFormat>))]
public enum LoginFormat
{
    /// <summary>The whole address (annanowak@op.pl).</summary>
    [JsonStringEnumMemberName("fullAddress")] FullAddress,

    /// <summary>The part before the @ (jankowalski for jankowalski@wp.pl).</summary>
    [JsonStringEnumMemberName("localPart")] LocalPart,
}

/// <summary>A provider's rule for app passwords (a separate password made for one program).</summary>
/// <param name="Required">True when the account password is refused over SMTP.</param>
/// <param name="Length">How many letters the generated password has (Gmail: 16), or null.</param>
/// <param name="TwoStepVerification">True when app passwords exist only after 2-step verification is on.</param>
public sealed record AppPasswordRule(bool Required, int? Length, bool TwoStepVerification);

/// <summary>One provider of the catalog: its SMTP server and the quirks worth knowing before using it.</summary>
public sealed record ProviderEntry
{
    /// <summary>Stable id ("gmail", "onet", …).</summary>
    public required string Key { get; init; }

    /// <summary>The provider's name as people know it.</summary>
    public required string Name { get; init; }

    /// <summary>The address domains it serves (annanowak@<b>op.pl</b>), lower case.</summary>
    public IReadOnlyList<string> Domains { get; init; } = [];

    /// <summary>Name suffixes of its MX hosts: a custom domain whose MX ends with one is hosted here.</summary>
    public IReadOnlyList<string> Mx { get; init; } = [];

    /// <summary>SMTP server.</summary>
    public required string Host { get; init; }

    /// <summary>SMTP port.</summary>
    public required int Port { get; init; }

    /// <summary>The encryption to choose.</summary>
    public required EncryptionMode Encryption { get; init; }

    /// <summary>The authentication to choose.</summary>
    public required AuthenticationMethod Authentication { get; init; }

    /// <summary>Every authentication the provider accepts over SMTP.</summary>
    public IReadOnlyList<AuthenticationMethod> AuthenticationMethods { get; init; } = [];

    /// <summary>What the login is made of.</summary>
    public LoginFormat Login { get; init; } = LoginFormat.FullAddress;

    /// <summary>App-password rule, or null when the account password works.</summary>
    public AppPasswordRule? AppPassword { get; init; }

    /// <summary>The provider's daily sending cap (used as the default <c>rateLimitPerDay</c>), or null when not published.</summary>
    public int? DailyLimit { get; init; }

    /// <summary>The provider's per-minute cap (used as the default <c>rateLimitPerMinute</c>), or null.</summary>
    public int? PerMinuteLimit { get; init; }

    /// <summary>The provider's own page about these settings.</summary>
    public string? HelpUrl { get; init; }

    /// <summary>Codes of sentences (EN/PL in <see cref="Messages"/>) worth reading before using it.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The login for <paramref name="email"/> in this provider's format.</summary>
    public string LoginFor(string email) =>
        Login == LoginFormat.LocalPart && email.LastIndexOf('@') is var at and > 0 ? email[..at] : email;

    /// <summary>A sender profile filled from this entry for <paramref name="email"/> (no password).</summary>
    public SenderProfileInput ToProfileInput(string? email) => new()
    {
        FromAddress = email,
        Host = Host,
        Port = Port,
        Encryption = Encryption,
        Authentication = Authentication,
        Login = email is null || Authentication == AuthenticationMethod.None ? null : LoginFor(email),
        SenderMode = Authentication == AuthenticationMethod.OAuth2Microsoft365 ? SenderMode.Microsoft365OAuth : SenderMode.OwnSmtp,
        RateLimitPerDay = DailyLimit,
        RateLimitPerMinute = PerMinuteLimit,
    };
}

/// <summary>Thrown when a catalog file breaks the documented format (docs/providers.md).</summary>
public sealed class ProviderCatalogException(IReadOnlyList<string> problems)
    : Exception("The provider catalog is not valid: " + string.Join("; ", problems))
{
    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// The provider catalog: data in <c>providers.json</c> (embedded), the one place Mailroom knows
/// providers' servers. Looked up by address domain or by MX host.
/// </summary>
public sealed class ProviderCatalog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    private static readonly Lazy<ProviderCatalog> Embedded = new(LoadEmbedded);

    private readonly Dictionary<string, ProviderEntry> _byDomain;

    /// <summary>A catalog of <paramref name="providers"/>.</summary>
    /// <exception cref="ProviderCatalogException">An entry breaks a rule (see <see cref="Check"/>).</exception>
    public ProviderCatalog(IReadOnlyList<ProviderEntry> providers)
    {
        var problems = Check(providers);
        if (problems.Count > 0) throw new ProviderCatalogException(problems);
        Providers = providers;
        _byDomain = providers.SelectMany(p => p.Domains.Select(d => (Domain: d, Provider: p)))
            .ToDictionary(pair => pair.Domain, pair => pair.Provider, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The catalog shipped with Mailroom (<c>Presets/providers.json</c>).</summary>
    public static ProviderCatalog Default => Embedded.Value;

    /// <summary>Every provider, in the file's order.</summary>
    public IReadOnlyList<ProviderEntry> Providers { get; }

    /// <summary>The provider with <paramref name="key"/>, or null.</summary>
    public ProviderEntry? Find(string key) => Providers.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The provider serving addresses at <paramref name="domain"/>, or null.</summary>
    public ProviderEntry? FindByDomain(string domain) =>
        _byDomain.GetValueOrDefault(domain.Trim().TrimEnd('.'));

    /// <summary>The provider whose MX suffix matches <paramref name="mxHost"/> (e.g. x.mail.protection.outlook.com), or null.</summary>
    public ProviderEntry? FindByMx(string mxHost)
    {
        var name = mxHost.Trim().TrimEnd('.').ToLowerInvariant();
        // the longest suffix wins, so olc.protection.outlook.com is never taken for something shorter
        return Providers.SelectMany(p => p.Mx.Select(suffix => (Suffix: suffix, Provider: p)))
            .Where(pair => name == pair.Suffix || name.EndsWith("." + pair.Suffix, StringComparison.Ordinal))
            .OrderByDescending(pair => pair.Suffix.Length)
            .Select(pair => pair.Provider)
            .FirstOrDefault();
    }

    /// <summary>Reads a catalog in the documented JSON format.</summary>
    /// <exception cref="ProviderCatalogException">The file is not valid JSON of that format, or an entry breaks a rule.</exception>
    public static ProviderCatalog Load(Stream json)
    {
        CatalogFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CatalogFile>(json, Json);
        }
        catch (JsonException error)
        {
            throw new ProviderCatalogException([error.Message]);
        }
        if (file is null || file.Format != 1) throw new ProviderCatalogException(["\"format\" must be 1."]);
        return new ProviderCatalog(file.Providers);
    }

    /// <summary>
    /// Every rule an entry breaks: unique keys and domains, host and port, sentences known in both
    /// languages, positive limits, the chosen authentication among the accepted ones, and — the one
    /// that matters — the settings it fills in pass <see cref="SenderProfileValidator"/>.
    /// </summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<ProviderEntry> providers)
    {
        var problems = new List<string>();
        foreach (var duplicate in providers.GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            problems.Add($"key \"{duplicate.Key}\" is used {duplicate.Count()} times");
        foreach (var duplicate in providers.SelectMany(p => p.Domains).GroupBy(d => d, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            problems.Add($"domain \"{duplicate.Key}\" belongs to several providers");
        foreach (var provider in providers)
        {
            var at = $"provider \"{provider.Key}\"";
            if (string.IsNullOrWhiteSpace(provider.Key) || string.IsNullOrWhiteSpace(provider.Name)) problems.Add($"{at}: key and name are required");
            foreach (var domain in provider.Domains.Concat(provider.Mx))
            {
                if (domain != domain.ToLowerInvariant() || !HostRules.IsValidDnsName(domain, requireDot: true)) problems.Add($"{at}: \"{domain}\" is not a lower-case domain name");
            }
            foreach (var note in provider.Notes.Where(note => !Messages.IsKnown(note)))
                problems.Add($"{at}: note \"{note}\" has no sentence in both languages");
            if (provider.DailyLimit is <= 0 || provider.PerMinuteLimit is <= 0) problems.Add($"{at}: limits must be positive");
            if (provider.AuthenticationMethods.Count > 0 && !provider.AuthenticationMethods.Contains(provider.Authentication))
                problems.Add($"{at}: authentication {provider.Authentication} is not among its authentication methods");
            if (provider.HelpUrl is { } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
                problems.Add($"{at}: helpUrl must be an https address");
            if (provider.AppPassword is { Length: <= 0 }) problems.Add($"{at}: appPassword.length must be positive");

            var sample = "annanowak@" + (provider.Domains.FirstOrDefault() ?? "example.com");
            var input = provider.ToProfileInput(sample) with
            {
                Password = provider.Authentication == AuthenticationMethod.Password ? "abcdefghijklmnop" : null,
            };
            var result = SenderProfileValidator.Validate(input, new ValidationContext(PortPolicy.Default, ProfileScopeKind.Global));
            foreach (var error in result.Errors)
                problems.Add($"{at}: {error.Field}: {error.Message("en")}");
        }
        return problems;
    }

    private static ProviderCatalog LoadEmbedded()
    {
        using var stream = typeof(ProviderCatalog).Assembly.GetManifestResourceStream("Mailroom.Core.Presets.providers.json")
            ?? throw new InvalidOperationException("The embedded provider catalog is missing from the build.");
        return Load(stream);
    }

    private sealed record CatalogFile(int Format, IReadOnlyList<ProviderEntry> Providers);
}
