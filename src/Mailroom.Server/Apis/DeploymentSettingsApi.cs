using System.Security.Claims;
using Mailroom.Core.Audit;
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

    private static async Task<IResult> PutPortPolicy(PortPolicyInput input, ISettingsStore store, TimeProvider clock, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        var ports = input.AdditionalPorts ?? [];
        var invalid = ports.Where(p => p is < 1 or > 65535).ToArray();
        if (invalid.Length > 0) return ApiProblems.Validation(context, "additionalPorts", "portPolicy.invalidPort", invalid[0]);
        var current = await store.GetDeploymentSettingsAsync(ct);
        var policy = new PortPolicy { AdditionalPorts = ports.Where(p => !PortPolicy.DefaultPorts.Contains(p)).Distinct().Order().ToArray() };
        await store.SaveDeploymentSettingsAsync(current with { PortPolicy = policy },
            new SettingsAuditEntry(clock.GetUtcNow(), caller.Id(), SettingsAuditEntry.PortPolicyTarget, ["additionalPorts"]), ct);
        return TypedResults.Ok(new { message = Messages.Format("portPolicy.saved", context.Language()), portPolicy = PortPolicyView.From(policy) });
    }

    private static async Task<IResult> GetSharedSender(ISettingsStore store, CancellationToken ct) =>
        TypedResults.Ok(new SharedSenderView((await store.GetDeploymentSettingsAsync(ct)).SharedSenderUserId));

    private static async Task<IResult> PutSharedSender(SharedSenderView input, ISettingsStore store, IUserStore users, TimeProvider clock, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (input.UserId is { } userId && await users.GetAsync(userId, ct) is null)
            return ApiProblems.Validation(context, "userId", "sharedSender.userNotFound", userId);
        var current = await store.GetDeploymentSettingsAsync(ct);
        await store.SaveDeploymentSettingsAsync(current with { SharedSenderUserId = input.UserId },
            new SettingsAuditEntry(clock.GetUtcNow(), caller.Id(), SettingsAuditEntry.SharedSenderTarget, ["userId"]), ct);
        return TypedResults.Ok(new { message = Messages.Format("sharedSender.saved", context.Language()), userId = input.UserId });
    }

    private static async Task<IResult> GetAudit(ISettingsStore store, string? target, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await store.GetAuditTrailAsync(target, Math.Clamp(limit ?? 100, 1, 1000), ct));
}
