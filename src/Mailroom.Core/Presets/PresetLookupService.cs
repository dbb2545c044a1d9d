using System.Text.Json.Serialization;
using Mailroom.Core.Localization;
using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;

namespace Mailroom.Core.Presets;

/// <summary>Where the suggested settings came from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PresetSource>))]
public enum PresetSource
{
    /// <summary>The address's domain is in the catalog.</summary>
    [JsonStringEnumMemberName("catalog")] Catalog,

    /// <summary>The domain's MX belongs to a catalogued provider (Microsoft 365, Google, …).</summary>
    [JsonStringEnumMemberName("mx")] Mx,

    /// <summary>Found by probing the domain's likely servers.</summary>
    [JsonStringEnumMemberName("detection")] Detection,

    /// <summary>Nothing found.</summary>
    [JsonStringEnumMemberName("none")] None,
}

/// <summary>A sentence code with its arguments, rendered per language.</summary>
/// <param name="Code">The code in <see cref="Messages"/>.</param>
/// <param name="Args">The values it quotes.</param>
public sealed record Explanation(string Code, IReadOnlyDictionary<string, object?> Args)
{
    /// <summary>The sentence in <paramref name="language"/>.</summary>
    public string In(string language) => Messages.Format(Code, language, Args);
}

/// <summary>The answer to "which settings for this address?".</summary>
/// <param name="Email">The address as given (trimmed).</param>
/// <param name="Domain">Its domain, lower case.</param>
/// <param name="Source">Where the settings came from.</param>
/// <param name="Provider">The catalog entry (catalog or MX), or null.</param>
/// <param name="Settings">The settings to fill in, or null when nothing was found.</param>
/// <param name="Explanations">Why these settings, in order.</param>
/// <param name="Detection">The probes, when detection ran.</param>
/// <param name="MxHosts">The MX hosts looked at, when the MX lookup ran.</param>
public sealed record PresetLookupResult(
    string Email,
    string Domain,
    PresetSource Source,
    ProviderEntry? Provider,
    SenderProfileInput? Settings,
    IReadOnlyList<Explanation> Explanations,
    DetectionResult? Detection,
    IReadOnlyList<string>? MxHosts);

/// <summary>
/// "Type your address, get working settings": the catalog by domain, then MX hints (a custom
/// domain hosted by Microsoft 365 or Google), then detection by probing.
/// </summary>
/// <param name="catalog">The provider catalog.</param>
/// <param name="mx">MX lookups.</param>
/// <param name="detector">The prober for unknown domains.</param>
public sealed class PresetLookupService(ProviderCatalog catalog, IMxResolver mx, SmtpAutoDetector detector)
{
    /// <summary>The field name problems with the address are reported under.</summary>
    public const string EmailField = "email";

    /// <summary>The problem with <paramref name="email"/> as a validation issue (field <c>email</c>), or null when it is a usable address.</summary>
    public static ValidationIssue? CheckAddress(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
            return new ValidationIssue(EmailField, "presets.emailRequired", IssueSeverity.Error);
        var trimmed = email.Trim();
        if (trimmed.Any(char.IsControl) || !EmailAddressRules.IsValidAddress(trimmed))
            return new ValidationIssue(EmailField, "presets.emailInvalid", IssueSeverity.Error, new Dictionary<string, object?> { ["address"] = new string(trimmed.Where(c => !char.IsControl(c)).ToArray()) });
        return null;
    }

    /// <summary>Finds settings for <paramref name="email"/> (already checked with <see cref="CheckAddress"/>).</summary>
    /// <param name="email">The address.</param>
    /// <param name="policy">The port policy: detection never probes other ports.</param>
    /// <param name="detect">False to stop after the catalog and MX (no probing).</param>
    /// <param name="detection">Limits of the probing (and a pinned certificate, if any).</param>
    /// <param name="cancellationToken">Cancels everything.</param>
    /// <exception cref="ArgumentException">The address is not valid.</exception>
    public async Task<PresetLookupResult> LookupAsync(string email, PortPolicy policy, bool detect, DetectionOptions detection, CancellationToken cancellationToken)
    {
        if (CheckAddress(email) is not null) throw new ArgumentException("Not a valid e-mail address.", nameof(email));
        email = email.Trim();
        var domain = email[(email.LastIndexOf('@') + 1)..].TrimEnd('.').ToLowerInvariant();

        if (catalog.FindByDomain(domain) is { } known)
            return FromProvider(email, domain, PresetSource.Catalog, known, null,
                Explain("presets.explain.catalog", ("domain", domain), ("provider", known.Name)));

        var mxHosts = await mx.ResolveMxAsync(domain, cancellationToken);
        foreach (var host in mxHosts)
        {
            if (catalog.FindByMx(host) is { } hosted)
                return FromProvider(email, domain, PresetSource.Mx, hosted, mxHosts,
                    Explain("presets.explain.mx", ("domain", domain), ("mx", host), ("provider", hosted.Name)));
        }

        if (!detect)
            return new PresetLookupResult(email, domain, PresetSource.None, null, null,
                [Explain("presets.explain.unknownNoDetection", ("domain", domain))], null, mxHosts);

        var result = await detector.DetectAsync(domain, policy, detection, cancellationToken);
        return FromDetection(email, domain, result, mxHosts);
    }

    private static PresetLookupResult FromProvider(string email, string domain, PresetSource source, ProviderEntry provider,
        IReadOnlyList<string>? mxHosts, Explanation why)
    {
        var explanations = new List<Explanation> { why };
        explanations.Add(Explain(provider.Login == LoginFormat.LocalPart ? "presets.explain.loginLocalPart" : "presets.explain.loginFullAddress",
            ("login", provider.LoginFor(email))));
        if (provider.AppPassword is { Required: true } app)
            explanations.Add(Explain(app.TwoStepVerification ? "presets.explain.appPasswordTwoStep" : "presets.explain.appPassword",
                ("provider", provider.Name), ("length", app.Length)));
        if (provider.DailyLimit is { } daily)
            explanations.Add(Explain("presets.explain.dailyLimit", ("limit", daily), ("provider", provider.Name)));
        explanations.AddRange(provider.Notes.Select(note => new Explanation(note, new Dictionary<string, object?>())));
        if (provider.HelpUrl is { } url) explanations.Add(Explain("presets.explain.help", ("url", url)));
        return new PresetLookupResult(email, domain, source, provider, provider.ToProfileInput(email), explanations, null, mxHosts);
    }

    private static PresetLookupResult FromDetection(string email, string domain, DetectionResult result, IReadOnlyList<string> mxHosts)
    {
        var tried = result.Candidates.Count(c => c.Outcome != ProbeOutcome.NotAllowed);
        var explanations = new List<Explanation>();
        SenderProfileInput? settings = null;
        if (result.Best is { } best)
        {
            explanations.Add(Explain(best.Encrypted ? "presets.explain.detected" : "presets.explain.detectedPlain",
                ("domain", domain), ("count", tried), ("endpoint", best.Endpoint), ("encryption", best.Encryption),
                ("auth", best.AuthOffered ? string.Join(" ", best.AuthMechanisms) : "—")));
            settings = new SenderProfileInput
            {
                FromAddress = email,
                Host = best.Host,
                Port = best.Port,
                Encryption = best.Encryption,
                Authentication = best.AuthOffered ? AuthenticationMethod.Password : AuthenticationMethod.None,
                Login = best.AuthOffered ? email : null,
                SenderMode = SenderMode.OwnSmtp,
            };
            if (best.AuthOffered) explanations.Add(Explain("presets.explain.loginGuess", ("login", email)));
        }
        else
        {
            explanations.Add(Explain("presets.explain.nothingFound", ("domain", domain), ("count", tried)));
        }
        if (result.BetterIfPinned is { } pinnable)
            explanations.Add(Explain("presets.explain.certificateRejected", ("endpoint", pinnable.Endpoint), ("encryption", pinnable.Encryption),
                ("fingerprint", pinnable.CertificateSha256 ?? "")));
        if (result.TimedOut) explanations.Add(Explain("presets.explain.timedOut", ("ms", result.DurationMs)));
        var notAllowed = result.Candidates.Where(c => c.Outcome == ProbeOutcome.NotAllowed).Select(c => c.Port).Distinct().ToList();
        if (notAllowed.Count > 0) explanations.Add(Explain("presets.explain.portsNotAllowed", ("ports", string.Join(", ", notAllowed))));
        return new PresetLookupResult(email, domain, settings is null ? PresetSource.None : PresetSource.Detection, null, settings,
            explanations, result, mxHosts);
    }

    private static Explanation Explain(string code, params (string Name, object? Value)[] args) =>
        new(code, args.ToDictionary(arg => arg.Name, arg => arg.Value is EncryptionMode mode ? EncryptionName(mode) : arg.Value));

    private static string EncryptionName(EncryptionMode mode) => mode switch
    {
        EncryptionMode.SslTls => "SSL/TLS",
        EncryptionMode.StartTls => "STARTTLS",
        EncryptionMode.None => "—",
        _ => mode.ToString(),
    };
}
