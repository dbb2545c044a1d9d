using Mailroom.Core.Storage;

namespace Mailroom.Server.Apis;

/// <summary>GET /api/health: is the server up and can it reach its storage.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", Check).WithTags("Health").AllowAnonymous()
            .WithSummary("200 when the server and its storage answer, 503 otherwise. No authentication.");
        return app;
    }

    private static async Task<IResult> Check(IStorageInfo storage, CancellationToken ct)
    {
        try
        {
            var version = await storage.GetSchemaVersionAsync(ct);
            return TypedResults.Ok(new { status = "healthy", storage = new { provider = storage.Provider, schemaVersion = version } });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return TypedResults.Json(new { status = "unhealthy", storage = new { provider = storage.Provider, error = ex.GetType().Name } },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
