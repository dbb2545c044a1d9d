using Mailroom.Core.Localization;

namespace Mailroom.Server.WebUi;

/// <summary>The language a page is shown in: the one the person chose (remembered in a cookie), else the browser's.</summary>
public static class UiLanguage
{
    /// <summary>"pl" or "en".</summary>
    public static string Of(HttpContext context) =>
        context.Request.Cookies[WebUiHosting.LanguageCookie] is { } chosen && Messages.Languages.Contains(chosen)
            ? chosen
            : Messages.PickLanguage(context.Request.Headers.AcceptLanguage);

    /// <summary>Remembers <paramref name="language"/> for a year; an unknown value is ignored.</summary>
    public static void Remember(HttpContext context, string? language)
    {
        if (language is null || !Messages.Languages.Contains(language)) return;
        context.Response.Cookies.Append(WebUiHosting.LanguageCookie, language, new CookieOptions
        {
            MaxAge = TimeSpan.FromDays(365),
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            IsEssential = true,
        });
    }
}
