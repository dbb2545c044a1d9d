using System.Security.Claims;
using Mailroom.Core.Localization;
using Mailroom.Core.Settings;
using Mailroom.Core.Storage;
using Mailroom.Server.Security;

namespace Mailroom.Server.Apis;

/// <summary>The administrator's deployment-wide settings: port policy, shared sender, audit trail.</summary>
public static class DeploymentSettingsApi
{
    public static IEndpointRouteBuilder MapDeploymentSettingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/settings").WithTags("Settings");
        group.MapGet("/port-policy", GetPortPolicy).RequireAuthorization()
            .WithSummary("The SMTP ports profiles may use (25, 465, 587 and any the administrator opened).");
        group.MapPut("/port-policy", PutPortPolicy).RequireAuthorization(CurrentUser.AdministratorPolicy)
            .WithSummary("Sets the ports opened on top of 25, 465 and 587.");
        group.MapGet("/shared-sender", GetSharedSender).RequireAuthorization()
            .WithSummary("The user whose profile is everyone's base, or null.");
        group.MapPut("/shared-sender", PutSharedSender).RequireAuthorization(CurrentUser.AdministratorPolicy)
            .WithSummary("Names the shared sender (null removes it). Users may then override only login and password.");
        group.MapGet("/audit", GetAudit).RequireAuthorization(CurrentUser.AdministratorPolicy)
            .WithSummary("Who changed which settings fields, and when (never the values).");
        return app;
    }

    private static async Task<IResult> GetPortPolicy(ISettingsStore store, CancellationToken ct) =>
        TypedResults.Ok(PortPolicyView.From((await store.GetDeploymentSettingsAsync(ct)).PortPolicy));

    private static async Task<IResult> PutPortPolicy(PortPolicyInput input, DeploymentSettingsService deployment, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        var (policy, issues) = await deployment.SetAdditionalPortsAsync(input.AdditionalPorts ?? [], caller.Id(), ct);
        if (policy is null) return ApiProblems.Validation(context, issues);
        return TypedResults.Ok(new { message = Messages.Format("portPolicy.saved", context.Language()), portPolicy = PortPolicyView.From(policy) });
    }

    private static async Task<IResult> GetSharedSender(ISettingsStore store, CancellationToken ct) =>
        TypedResults.Ok(new SharedSenderView((await store.GetDeploymentSettingsAsync(ct)).SharedSenderUserId));

    private static async Task<IResult> PutSharedSender(SharedSenderView input, DeploymentSettingsService deployment, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        var issues = await deployment.SetSharedSenderAsync(input.UserId, caller.Id(), ct);
        if (issues.Count > 0) return ApiProblems.Validation(context, issues);
        return TypedResults.Ok(new { message = Messages.Format("sharedSender.saved", context.Language()), userId = input.UserId });
    }

    private static async Task<IResult> GetAudit(ISettingsStore store, string? target, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await store.GetAuditTrailAsync(target, Math.Clamp(limit ?? 100, 1, 1000), ct));
}
