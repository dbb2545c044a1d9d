using System.Collections.Concurrent;
using System.Security.Claims;
using Mailroom.Core.Localization;
using Mailroom.Core.OAuth;
using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;
using Mailroom.Server.Apis;
using Mailroom.Server.Security;

namespace Mailroom.Server.OAuth;

/// <summary>Sets up app-only (client credentials) sending for a Microsoft 365 shared mailbox.</summary>
/// <param name="Scope">"global" or "user:&lt;id&gt;" (administrators only).</param>
/// <param name="Mailbox">The mailbox address to send as (the SMTP user name).</param>
public sealed record AppOnlyRequest(string? Scope, string? Mailbox);

/// <summary>A profile's sign-in, without any token.</summary>
public sealed record OAuthGrantView(string Scope, string Provider, string Kind, string Account, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The view of <paramref name="grant"/>.</summary>
    public static OAuthGrantView From(OAuthGrant grant) => new(grant.Scope.ToString(), OAuthProviders.Name(grant.Provider),
        StoredOAuthGrants.KindName(grant.Kind), grant.Account, grant.CreatedAt, grant.UpdatedAt);
}

/// <summary>Device-code sign-ins in progress, by an opaque handle; this node's memory (poll the node you started on).</summary>
public sealed class DeviceSignIns(TimeProvider time)
{
    internal sealed record Pending(string StartedBy, ProfileScope Scope, OAuthProvider Provider, DeviceAuthorization Authorization);

    private readonly ConcurrentDictionary<string, Pending> _pending = new();

    internal string Add(Pending pending)
    {
        foreach (var (handle, old) in _pending)
            if (old.Authorization.ExpiresAt < time.GetUtcNow()) _pending.TryRemove(handle, out _);
        var key = OAuthClient.NewState();
        _pending[key] = pending;
        return key;
    }

    internal Pending? Find(string? handle, string caller) =>
        handle is not null && _pending.TryGetValue(handle, out var pending) && pending.StartedBy == caller && pending.Authorization.ExpiresAt > time.GetUtcNow()
            ? pending : null;

    internal void Remove(string handle) => _pending.TryRemove(handle, out _);
}

/// <summary>The OAuth2 API: device code (for the CLI), app-only, a profile's sign-in and its removal.</summary>
public static class OAuthApi
{
    internal static IEndpointRouteBuilder MapOAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/oauth").WithTags("OAuth2").RequireAuthorization();
        group.MapPost("/device/start", DeviceStartAsync).WithSummary("Starts a device-code sign-in: returns the code to type and where.");
        group.MapPost("/device/poll", DevicePollAsync).WithSummary("Asks once whether the device-code sign-in finished; stores the sign-in when it did.");
        group.MapPost("/app-only", AppOnlyAsync).RequireAuthorization(CurrentUser.AdministratorPolicy)
            .WithSummary("Microsoft 365 app-only (client credentials) sending as a shared mailbox.");
        group.MapGet("/grants/{scope}", GetAsync).WithSummary("A profile's sign-in (provider, account, kind), never a token.");
        group.MapDelete("/grants/{scope}", DeleteAsync).WithSummary("Removes a profile's sign-in and revokes its refresh token where the provider allows.");
        return app;
    }

    private static async Task<IResult> DeviceStartAsync(DeviceStartRequest request, OAuthTokenService oauth, DeviceSignIns pending, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (Check(request.Provider, request.Scope, context, caller, out var provider, out var scope) is { } invalid) return invalid;
        try
        {
            var authorization = await oauth.Client.StartDeviceAsync(provider, ct);
            var handle = pending.Add(new DeviceSignIns.Pending(caller.Id(), scope, provider, authorization));
            var message = Messages.Format("api.oauth.deviceInstruction", context.Language(),
                new Dictionary<string, object?> { ["uri"] = authorization.VerificationUri, ["code"] = authorization.UserCode });
            return TypedResults.Ok(new DeviceStartView(handle, authorization.UserCode, authorization.VerificationUri, authorization.ExpiresAt,
                (int)authorization.Interval.TotalSeconds, message));
        }
        catch (OAuthProblemException problem)
        {
            return Problem(context, problem, provider);
        }
    }

    private static async Task<IResult> DevicePollAsync(DevicePollRequest request, OAuthTokenService oauth, DeviceSignIns pending, SenderSettingsService settings,
        HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (pending.Find(request.Handle, caller.Id()) is not { } flow)
            return ApiProblems.NotFound(context, "api.oauth.unknownDeviceSignIn", new Dictionary<string, object?>());
        try
        {
            if (await oauth.Client.PollDeviceAsync(flow.Provider, flow.Authorization.DeviceCode, ct) is not { } tokens)
                return TypedResults.Ok(new DevicePollView("pending", null));
            pending.Remove(request.Handle!);
            var (effective, _) = await settings.PreviewAsync(flow.Scope, null, ct);
            var grant = await oauth.CompleteSignInAsync(flow.Scope, flow.Provider, tokens, effective?.Login is { Length: > 0 } login ? login : null, ct);
            return TypedResults.Ok(new DevicePollView("done", grant.Account));
        }
        catch (OAuthProblemException problem)
        {
            if (!problem.IsTransient) pending.Remove(request.Handle!);
            return Problem(context, problem, flow.Provider);
        }
    }

    private static async Task<IResult> AppOnlyAsync(AppOnlyRequest request, OAuthTokenService oauth, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (Check("microsoft365", request.Scope, context, caller, out var provider, out var scope) is { } invalid) return invalid;
        if (request.Mailbox is not { } mailbox || !EmailAddressRules.IsValidAddress(mailbox.Trim()))
            return ApiProblems.Validation(context, "mailbox", "api.oauth.mailboxRequired", request.Mailbox);
        try
        {
            return TypedResults.Ok(OAuthGrantView.From(await oauth.SetUpAppOnlyAsync(scope, provider, mailbox, ct)));
        }
        catch (OAuthProblemException problem)
        {
            return Problem(context, problem, provider);
        }
    }

    private static async Task<IResult> GetAsync(string scope, OAuthTokenService oauth, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (OAuthScopes.Resolve(scope, caller) is not { } profile) return ApiProblems.Forbidden(context);
        return await oauth.GetGrantAsync(profile, ct) is { } grant
            ? TypedResults.Ok(OAuthGrantView.From(grant))
            : ApiProblems.NotFound(context, "oauth.problem.notSignedIn", new Dictionary<string, object?> { ["provider"] = "OAuth2" });
    }

    private static async Task<IResult> DeleteAsync(string scope, OAuthTokenService oauth, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        if (OAuthScopes.Resolve(scope, caller) is not { } profile) return ApiProblems.Forbidden(context);
        return await oauth.SignOutAsync(profile, ct)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound(context, "oauth.problem.notSignedIn", new Dictionary<string, object?> { ["provider"] = "OAuth2" });
    }

    private static IResult? Check(string? providerName, string? scopeName, HttpContext context, ClaimsPrincipal caller, out OAuthProvider provider, out ProfileScope scope)
    {
        provider = default;
        scope = default;
        if (OAuthProviders.Parse(providerName) is not { } p) return ApiProblems.Validation(context, "provider", "api.oauth.unknownProvider", providerName);
        provider = p;
        if (scopeName is not ("global" or "me") && scopeName?.StartsWith("user:", StringComparison.Ordinal) != true)
            return ApiProblems.Validation(context, "scope", "api.oauth.unknownScope", scopeName);
        if (OAuthScopes.Resolve(scopeName, caller) is not { } s) return ApiProblems.Forbidden(context);
        scope = s;
        return null;
    }

    /// <summary>A problem in the caller's language: 400 for what a person must fix, 502 when the provider failed.</summary>
    private static IResult Problem(HttpContext context, OAuthProblemException problem, OAuthProvider provider) =>
        TypedResults.Problem(
            statusCode: problem.Code == OAuthProblemException.ProviderError ? StatusCodes.Status502BadGateway : StatusCodes.Status400BadRequest,
            title: Messages.Format(problem.Code, context.Language(), new Dictionary<string, object?>
            {
                ["provider"] = OAuthProviders.DisplayName(provider), ["detail"] = problem.Message,
                ["account"] = problem.Data["account"], ["expected"] = problem.Data["expected"],
            }),
            extensions: new Dictionary<string, object?> { ["code"] = problem.Code });
}
