using System.Security.Claims;
using Mailroom.Core.Localization;
using Mailroom.Core.Settings;
using Mailroom.Core.Storage;
using Mailroom.Server.Security;

namespace Mailroom.Server.Apis;

/// <summary>The global profile and each user's own profile, stored and effective.</summary>
public static class SettingsApi
{
    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder app)
    {
        var global = app.MapGroup("/api/settings/global").WithTags("Settings").RequireAuthorization(CurrentUser.AdministratorPolicy);
        global.MapGet("", GetGlobal).WithSummary("The global (company) sender profile as stored.");
        global.MapPut("", PutGlobal).WithSummary("Replaces the global profile; all-or-nothing.");
        global.MapGet("/effective", GetGlobalEffective).WithSummary("The global profile after system defaults, with each value's source.");

        var user = app.MapGroup("/api/users/{userId}/settings").WithTags("Settings").RequireAuthorization();
        user.MapGet("", GetUser).WithSummary("A user's own profile as stored (the user or an administrator).");
        user.MapPut("", PutUser).WithSummary("Replaces a user's own profile; all-or-nothing.");
        user.MapGet("/effective", GetUserEffective).WithSummary("What the user's mail is sent with, each value with its source.");
        return app;
    }

    private static async Task<IResult> GetGlobal(SenderSettingsService service, CancellationToken ct) =>
        TypedResults.Ok(SenderProfileView.From(await service.GetProfileAsync(ProfileScope.Global, ct)));

    private static Task<IResult> PutGlobal(SenderProfileInput input, SenderSettingsService service, HttpContext context, ClaimsPrincipal caller, CancellationToken ct) =>
        SaveAsync(ProfileScope.Global, input, service, context, caller, ct);

    private static async Task<IResult> GetGlobalEffective(SenderSettingsService service, ISettingsStore store, CancellationToken ct)
    {
        var effective = await service.GetEffectiveGlobalAsync(ct);
        return TypedResults.Ok(new EffectiveSettingsView(null, null, effective.Fields));
    }

    private static async Task<IResult> GetUser(string userId, SenderSettingsService service, IUserStore users, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (await CheckAccessAsync(userId, users, context, caller, ct) is { } denied) return denied;
        return TypedResults.Ok(SenderProfileView.From(await service.GetProfileAsync(ProfileScope.ForUser(userId), ct)));
    }

    private static async Task<IResult> PutUser(string userId, SenderProfileInput input, SenderSettingsService service, IUserStore users, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (await CheckAccessAsync(userId, users, context, caller, ct) is { } denied) return denied;
        return await SaveAsync(ProfileScope.ForUser(userId), input, service, context, caller, ct);
    }

    private static async Task<IResult> GetUserEffective(string userId, SenderSettingsService service, IUserStore users, ISettingsStore store, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (await CheckAccessAsync(userId, users, context, caller, ct) is { } denied) return denied;
        var user = (await users.GetAsync(userId, ct))!;
        var effective = await service.GetEffectiveForUserAsync(user, ct);
        var deployment = await store.GetDeploymentSettingsAsync(ct);
        return TypedResults.Ok(new EffectiveSettingsView(userId, deployment.SharedSenderUserId, effective.Fields));
    }

    private static async Task<IResult> SaveAsync(ProfileScope scope, SenderProfileInput input, SenderSettingsService service, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        var outcome = await service.SaveProfileAsync(scope, input, caller.Id(), ct);
        if (!outcome.Saved) return ApiProblems.Validation(context, outcome.Issues);
        var language = context.Language();
        var warnings = ApiProblems.Views(outcome.Issues, language);
        return TypedResults.Ok(new SettingsSavedView(Messages.Format("settings.saved", language), SenderProfileView.From(outcome.Profile!), warnings));
    }

    /// <summary>403 when the caller may not act for <paramref name="userId"/>; 404 when there is no such user; null when all is well.</summary>
    internal static async Task<IResult?> CheckAccessAsync(string userId, IUserStore users, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (!caller.MayActFor(userId)) return ApiProblems.Forbidden(context);
        if (await users.GetAsync(userId, ct) is null)
            return ApiProblems.NotFound(context, "user.notFound", new Dictionary<string, object?> { ["userId"] = userId });
        return null;
    }
}
