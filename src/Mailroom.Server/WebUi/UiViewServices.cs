using Mailroom.Core.Localization;

namespace Mailroom.Server.WebUi;

/// <summary>Renders a sentence in the request's language; injected into every page and partial as <c>T</c>.</summary>
public delegate string UiText(string code, IReadOnlyDictionary<string, object?>? args = null);

/// <summary>The request's language ("pl" or "en"); injected into every page and partial as <c>Lang</c>.</summary>
public sealed record UiRequestLanguage(string Code)
{
    public static implicit operator string(UiRequestLanguage language) => language.Code;

    public override string ToString() => Code;
}

/// <summary>Registers <see cref="UiText"/> and <see cref="UiRequestLanguage"/> per request.</summary>
public static class UiViewServices
{
    public static IServiceCollection AddUiViewServices(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped(sp => new UiRequestLanguage(UiLanguage.Of(sp.GetRequiredService<IHttpContextAccessor>().HttpContext!)));
        services.AddScoped<UiText>(sp =>
        {
            var language = sp.GetRequiredService<UiRequestLanguage>().Code;
            return (code, args) => Messages.Format(code, language, args);
        });
        return services;
    }
}
