using System.Security.Claims;
using Mailroom.Core.Delivery;
using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Core.Security;
using Mailroom.Core.Settings;
using Mailroom.Core.Storage;
using Mailroom.Server.Security;
using Mailroom.Server.Workers;
using Microsoft.Extensions.Options;

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

    private static Task<IResult> CheckGlobal(SenderProfileInput? input, SenderSettingsService settings, SmtpConnectionChecker checker,
        ISecretProtector secrets, IOptions<DeliveryOptions> delivery, HttpContext context, CancellationToken ct) =>
        CheckAsync(ProfileScope.Global, input, settings, checker, secrets, delivery.Value, context, ct);

    private static async Task<IResult> CheckUser(string userId, SenderProfileInput? input, SenderSettingsService settings, SmtpConnectionChecker checker,
        ISecretProtector secrets, IOptions<DeliveryOptions> delivery, IUserStore users, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (await SettingsApi.CheckAccessAsync(userId, users, context, caller, ct) is { } denied) return denied;
        return await CheckAsync(ProfileScope.ForUser(userId), input, settings, checker, secrets, delivery.Value, context, ct);
    }

    private static async Task<IResult> CheckAsync(ProfileScope scope, SenderProfileInput? input, SenderSettingsService settings,
        SmtpConnectionChecker checker, ISecretProtector secrets, DeliveryOptions delivery, HttpContext context, CancellationToken ct)
    {
        var (effective, issues) = await settings.PreviewAsync(scope, input, ct);
        if (effective is null) return ApiProblems.Validation(context, issues);
        SmtpEndpoint endpoint;
        if (effective.SenderMode == SenderMode.System)
        {
            if (!delivery.SystemRelay.IsConfigured) return ApiProblems.Validation(context, "senderMode", "check.systemCaptures");
            endpoint = SmtpEndpoint.From(delivery.SystemRelay);
        }
        else
        {
            if (effective.Host is null) return ApiProblems.Validation(context, "host", "check.noServer");
            var password = effective.ProtectedPassword is { } cipher ? secrets.Unprotect(cipher) : null;
            endpoint = SmtpEndpoint.From(effective, password);
        }
        var report = await checker.CheckAsync(endpoint, new ConnectionCheckOptions(), ct);
        return TypedResults.Ok(report.Localize(context.Language()));
    }
}
