using System.Security.Claims;
using Mailroom.Core.Settings;
using Mailroom.Core.Storage;
using Mailroom.Server.Security;

namespace Mailroom.Server.Apis;

/// <summary>"Check connection": the step-by-step SMTP check of a saved or a submitted (unsaved) profile, sending nothing.</summary>
public static class ConnectionCheckApi
{
    public static IEndpointRouteBuilder MapConnectionCheckApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/settings/global/check", CheckGlobal).WithTags("Settings").RequireAuthorization(CurrentUser.AdministratorPolicy)
            .WithSummary("Checks the global profile's server step by step (body: an unsaved profile, or empty for the stored one). Sends nothing.");
        app.MapPost("/api/users/{userId}/settings/check", CheckUser).WithTags("Settings").RequireAuthorization()
            .WithSummary("Checks a user's effective server step by step (body: their unsaved profile, or empty for the stored one). Sends nothing.");
        return app;
    }

    private static Task<IResult> CheckGlobal(SenderProfileInput? input, SenderConnectionCheck check, HttpContext context, CancellationToken ct) =>
        CheckAsync(ProfileScope.Global, input, check, context, ct);

    private static async Task<IResult> CheckUser(string userId, SenderProfileInput? input, SenderConnectionCheck check, IUserStore users,
        HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (await SettingsApi.CheckAccessAsync(userId, users, context, caller, ct) is { } denied) return denied;
        return await CheckAsync(ProfileScope.ForUser(userId), input, check, context, ct);
    }

    private static async Task<IResult> CheckAsync(ProfileScope scope, SenderProfileInput? input, SenderConnectionCheck check, HttpContext context, CancellationToken ct)
    {
        var outcome = await check.RunAsync(scope, input, ct);
        return outcome.Report is { } report
            ? TypedResults.Ok(report.Localize(context.Language()))
            : ApiProblems.Validation(context, outcome.Issues);
    }
}
