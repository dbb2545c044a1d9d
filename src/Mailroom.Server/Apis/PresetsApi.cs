using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Core.Presets;
using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;
using Mailroom.Server.WebUi;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mailroom.Server.Apis;

/// <summary>Provider presets: the catalog, and "which settings for this address?" (catalog, MX hint, detection).</summary>
public static class PresetsApi
{
    /// <summary>The path the settings page's address field calls with its session cookie (the API itself takes API keys only).</summary>
    public const string UiLookupPath = "/ui/presets/lookup";

    /// <summary>The catalog, the MX resolver, the detector and the lookup service (the host resolver comes with AddMailroomServices).</summary>
    public static IServiceCollection AddMailroomPresets(this IServiceCollection services)
    {
        services.AddSingleton(_ => ProviderCatalog.Default);
        services.TryAddSingleton<IMxResolver>(_ => new DnsMxResolver());
        services.AddSingleton(sp => new SmtpAutoDetector(sp.GetRequiredService<IHostResolver>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<PresetLookupService>();
        return services;
    }

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapPresetsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/presets", List).WithTags("Presets").RequireAuthorization()
            .WithSummary("The provider catalog: servers, login format, app-password rules, daily limits, help links.");
        app.MapGet("/api/presets/lookup", (string? email, bool? detect, string? certificateSha256, PresetLookupService presets,
                DeploymentSettingsService deployment, HttpContext context, CancellationToken ct) =>
                LookupAsync(email, detect, certificateSha256, presets, deployment, context, context.Language(), ct))
            .WithTags("Presets").RequireAuthorization()
            .WithSummary("Settings for an address: the catalog by domain, else an MX hint (Microsoft 365, Google), else detection by probing smtp./mail./the domain on the allowed ports (detect=false skips probing).");
        app.MapGet(UiLookupPath, (string? email, bool? detect, PresetLookupService presets, DeploymentSettingsService deployment,
                HttpContext context, CancellationToken ct) =>
                LookupAsync(email, detect, null, presets, deployment, context, UiLanguage.Of(context), ct))
            .RequireAuthorization(WebUiAuthentication.PolicyName).ExcludeFromDescription();
        return app;
    }

    private static IResult List(ProviderCatalog catalog, HttpContext context) =>
        TypedResults.Ok(catalog.Providers.Select(p => ProviderView.Of(p, context.Language())).ToList());

    private static async Task<IResult> LookupAsync(string? email, bool? detect, string? certificateSha256, PresetLookupService presets,
        DeploymentSettingsService deployment, HttpContext context, string language, CancellationToken ct)
    {
        var issues = new List<ValidationIssue>();
        if (PresetLookupService.CheckAddress(email) is { } problem) issues.Add(problem);
        string? pin = null;
        if (!string.IsNullOrWhiteSpace(certificateSha256))
        {
            pin = string.Concat(certificateSha256.Where(c => c is not (':' or ' ' or '-'))).ToLowerInvariant();
            if (pin.Length != 64 || !pin.All(Uri.IsHexDigit))
                issues.Add(new ValidationIssue(SenderField.CertificateSha256, "presets.certificateSha256Invalid", IssueSeverity.Error));
        }
        if (issues.Count > 0)
        {
            context.Request.Headers.AcceptLanguage = language; // the UI's chosen language, for the problem's sentences
            return ApiProblems.Validation(context, issues);
        }

        var policy = (await deployment.GetAsync(ct)).PortPolicy;
        var result = await presets.LookupAsync(email!, policy, detect ?? true, new DetectionOptions { CertificateSha256 = pin }, ct);
        return TypedResults.Ok(View(result, language));
    }

    private static PresetLookupView View(PresetLookupResult result, string language) => new(
        result.Email, result.Domain, result.Source,
        result.Provider is { } provider ? ProviderView.Of(provider, language) : null,
        result.Settings is { } s ? new PresetSettingsView(s.Host, s.Port, s.Encryption, s.Authentication, s.Login, s.SenderMode, s.RateLimitPerDay, s.RateLimitPerMinute) : null,
        result.Explanations.Select(e => e.In(language)).ToList(),
        result.Detection is { } d
            ? new DetectionView(d.DurationMs, d.TimedOut, d.Candidates.Select(c => new DetectionCandidateView(
                c.Host, c.Port, c.Encryption, c.Outcome, c.AuthMechanisms, c.StartTlsOffered, c.CertificateTrust, c.CertificateSha256,
                c.Hints.Select(h => new PresetHintView(h.Code, h.MessageIn(language))).ToList())).ToList())
            : null,
        result.MxHosts);
}
