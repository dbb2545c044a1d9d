namespace Mailroom.Server.WebUi;

/// <summary>
/// Browser protections for the web UI's responses (not the API's): no framing (clickjacking), only
/// this origin's scripts, styles and form targets, no MIME sniffing, no referrer leaving the site.
/// </summary>
public static class UiSecurityHeaders
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Adds the headers to every response outside <c>/api</c>.</summary>
    public static WebApplication UseUiSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/api"))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
            }
            return next(context);
        });
        return app;
    }
}
