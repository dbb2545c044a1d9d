using Mailroom.Core.Localization;
using Mailroom.Server.Apis;
using Mailroom.Server.WebUi;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Mailroom.Server.Hosting;

/// <summary>
/// The hardening that is configuration rather than a feature: <c>nosniff</c> and <c>no-store</c> on
/// API answers, and storage that is full or busy turned into a clear 507/503 instead of a 500 (the
/// session lifetime is set with the cookie, in <see cref="WebUiAuthentication"/>).
/// </summary>
public static class SecurityHosting
{
    /// <summary>Registers the storage error handler.</summary>
    public static WebApplicationBuilder AddMailroomHardening(this WebApplicationBuilder builder)
    {
        builder.Services.AddExceptionHandler<StorageErrors>();
        return builder;
    }

    /// <summary>API answers are never sniffed as another type nor cached.</summary>
    public static WebApplication UseApiResponseHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                context.Response.Headers.XContentTypeOptions = "nosniff";
                context.Response.Headers.CacheControl = "no-store";
            }
            return next(context);
        });
        return app;
    }
}

/// <summary>
/// A full disk or database (SQLite <c>SQLITE_FULL</c>, PostgreSQL <c>53100</c>) answers 507, a busy
/// or unavailable one 503 with Retry-After; the transaction was rolled back, so nothing is half-stored.
/// </summary>
public sealed class StorageErrors(ILogger<StorageErrors> log) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var kind = Classify(exception);
        if (kind is null) return false;
        var (status, code) = kind.Value;
        log.LogError(exception, "Storage refused a request to {Path}: {Code}", context.Request.Path, code);
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "5";
        await TypedResults.Problem(statusCode: status, title: Messages.Format(code, context.Language()),
            extensions: new Dictionary<string, object?> { ["code"] = code }).ExecuteAsync(context);
        return true;
    }

    /// <summary>The status and message code for a storage failure, or null when <paramref name="error"/> is something else.</summary>
    public static (int Status, string Code)? Classify(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException { SqliteErrorCode: 13 }: // SQLITE_FULL: disk full or max_page_count reached
                case Npgsql.PostgresException { SqlState: "53100" or "53200" }: // disk full, out of memory
                case IOException { HResult: 28 or unchecked((int)0x80070070) }: // ENOSPC, ERROR_DISK_FULL
                    return (StatusCodes.Status507InsufficientStorage, "storage.full");
                case SqliteException { SqliteErrorCode: 5 or 6 }: // SQLITE_BUSY, SQLITE_LOCKED
                case Npgsql.NpgsqlException { IsTransient: true }:
                    return (StatusCodes.Status503ServiceUnavailable, "storage.busy");
            }
        }
        return null;
    }
}
