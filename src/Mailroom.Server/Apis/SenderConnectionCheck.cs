using Mailroom.Core.Delivery;
using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Core.Security;
using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;
using Microsoft.Extensions.Options;

namespace Mailroom.Server.Apis;

/// <summary>The outcome of a check: a report, or the reasons there is nothing to check (invalid input, no server).</summary>
/// <param name="Report">The step-by-step report; null when <paramref name="Issues"/> stopped the check.</param>
/// <param name="Issues">Validation errors or warnings.</param>
public sealed record SenderCheckOutcome(ConnectionCheckReport? Report, IReadOnlyList<ValidationIssue> Issues);

/// <summary>
/// "Check connection" for a profile scope, saved or as typed in a form: resolves the effective
/// server (the System relay or the profile's own) and checks it step by step, sending nothing.
/// Shared by the HTTP API and the web UI.
/// </summary>
public sealed class SenderConnectionCheck(
    SenderSettingsService settings, SmtpConnectionChecker checker, ISecretProtector secrets, IOptions<DeliveryOptions> delivery,
    IOptions<MailroomOptions> mailroom, Core.OAuth.IOAuthTokenSource? oauth = null)
{
    /// <summary>Checks <paramref name="scope"/> as it would be with <paramref name="input"/> saved (null: as stored).</summary>
    public async Task<SenderCheckOutcome> RunAsync(ProfileScope scope, SenderProfileInput? input, CancellationToken cancellationToken = default)
    {
        var (effective, issues) = await settings.PreviewAsync(scope, input, cancellationToken);
        if (effective is null) return new SenderCheckOutcome(null, issues);
        SmtpEndpoint endpoint;
        if (effective.SenderMode == SenderMode.System)
        {
            var relay = delivery.Value.SystemRelay;
            if (!relay.IsConfigured) return new SenderCheckOutcome(null, [Error(SenderField.SenderMode, "check.systemCaptures")]);
            endpoint = SmtpEndpoint.From(relay);
        }
        else
        {
            if (effective.Host is null) return new SenderCheckOutcome(null, [Error(SenderField.Host, "check.noServer")]);
            if (Core.OAuth.OAuthProviders.For(effective.Authentication) is { } provider)
            {
                // The same token delivery would use: the user's own sign-in, else the global one.
                var (token, problem) = await OAuthTokenAsync(scope, effective, provider, cancellationToken);
                endpoint = NetworkGuard.Guard(token is null ? SmtpEndpoint.From(effective, (string?)null) : SmtpEndpoint.From(effective, token),
                    effective, mailroom.Value.Security.BlockPrivateNetworksForUserProfiles);
                return new SenderCheckOutcome(await checker.CheckAsync(endpoint, new ConnectionCheckOptions { OAuthProblem = problem }, cancellationToken), issues);
            }
            var password = effective.ProtectedPassword is { } cipher ? secrets.Unprotect(cipher) : null;
            // The SSRF rule applies to the check as to delivery: no probing internal hosts from a user's profile.
            endpoint = NetworkGuard.Guard(SmtpEndpoint.From(effective, password), effective, mailroom.Value.Security.BlockPrivateNetworksForUserProfiles);
        }
        return new SenderCheckOutcome(await checker.CheckAsync(endpoint, new ConnectionCheckOptions(), cancellationToken), issues);
    }

    private async Task<(Core.OAuth.OAuthAccessToken? Token, Core.OAuth.OAuthProblemException? Problem)> OAuthTokenAsync(
        ProfileScope scope, EffectiveSenderSettings effective, Core.OAuth.OAuthProvider provider, CancellationToken cancellationToken)
    {
        if (oauth is null)
            return (null, new Core.OAuth.OAuthProblemException(Core.OAuth.OAuthProblemException.NotConfigured, "OAuth2 is not set up on this server."));
        try
        {
            var token = await oauth.GetForSenderAsync(scope.UserId, provider, cancellationToken);
            if (effective.Login is { Length: > 0 } login && !string.Equals(login, token.Account, StringComparison.OrdinalIgnoreCase))
                return (null, Core.OAuth.OAuthTokenService.WrongAccount(token.Account, login));
            return (token, null);
        }
        catch (Core.OAuth.OAuthProblemException problem)
        {
            return (null, problem);
        }
    }

    private static ValidationIssue Error(string field, string code) =>
        new(field, code, IssueSeverity.Error, new Dictionary<string, object?> { ["value"] = null });
}
