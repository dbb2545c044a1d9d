using Mailroom.Core.Audit;
using Mailroom.Core.Security;
using Mailroom.Core.Settings.Validation;
using Mailroom.Core.Storage;
using Mailroom.Core.Users;

namespace Mailroom.Core.Settings;

/// <summary>The answer to a save: either saved (with warnings) or refused with the reasons; never half-saved.</summary>
/// <param name="Profile">The stored profile when saved; null when refused.</param>
/// <param name="Issues">Every error and warning found.</param>
public sealed record SaveOutcome(SenderProfile? Profile, IReadOnlyList<ValidationIssue> Issues)
{
    /// <summary>True when the profile was stored.</summary>
    public bool Saved => Profile is not null;
}

/// <summary>
/// Reads, validates and saves sender settings. The one place the rules meet storage: the
/// HTTP API, the CLI and the in-process library all go through it.
/// </summary>
public sealed class SenderSettingsService(
    ISettingsStore settings, IUserStore users, ISecretProtector secrets, TimeProvider clock, Queue.IMessageQueueStorage? queue = null)
{
    /// <summary>The stored profile of <paramref name="scope"/>, or an empty one.</summary>
    public async Task<SenderProfile> GetProfileAsync(ProfileScope scope, CancellationToken cancellationToken = default) =>
        await settings.GetProfileAsync(scope, cancellationToken) ?? SenderProfile.Empty;

    /// <summary>
    /// Validates <paramref name="input"/> and, when it has no errors, replaces the profile of
    /// <paramref name="scope"/> with it and audits the change in the same transaction.
    /// </summary>
    public async Task<SaveOutcome> SaveProfileAsync(ProfileScope scope, SenderProfileInput input, string actorUserId, CancellationToken cancellationToken = default)
    {
        var candidate = await BuildAsync(scope, input, cancellationToken);
        if (candidate.Profile is not { } profile) return new SaveOutcome(null, candidate.Issues);

        var changed = ChangedFields(candidate.Existing, profile, passwordTouched: input.Password is not null);
        var audit = new SettingsAuditEntry(clock.GetUtcNow(), actorUserId, scope.ToString(), changed);
        await settings.SaveProfileAsync(scope, profile, audit, cancellationToken);
        if (queue is not null)
        {
            // Mail held for this sender's settings gets another chance with the fixed ones. The
            // global profile (and a shared sender's) is everyone's base, so it releases everyone's.
            var everyone = scope.IsGlobal || scope.UserId == candidate.Deployment.SharedSenderUserId;
            await queue.ReleaseHeldAsync(scope.UserId, everyone, $"Sender settings changed ({scope}); trying again.", clock.GetUtcNow(), cancellationToken);
        }
        return new SaveOutcome(profile, candidate.Issues);
    }

    /// <summary>
    /// The effective settings <paramref name="scope"/> would have if <paramref name="input"/> were
    /// saved (or as stored, when <paramref name="input"/> is null) — validated, never stored. For
    /// "check connection" on a form not yet saved; a password left out is taken from storage.
    /// </summary>
    public async Task<(EffectiveSenderSettings? Effective, IReadOnlyList<ValidationIssue> Issues)> PreviewAsync(
        ProfileScope scope, SenderProfileInput? input, CancellationToken cancellationToken = default)
    {
        SenderProfile profile;
        IReadOnlyList<ValidationIssue> issues = [];
        if (input is null)
        {
            profile = await GetProfileAsync(scope, cancellationToken);
        }
        else
        {
            var candidate = await BuildAsync(scope, input, cancellationToken);
            if (candidate.Profile is null) return (null, candidate.Issues);
            (profile, issues) = (candidate.Profile, candidate.Issues);
        }
        if (scope.IsGlobal) return (SenderSettingsResolver.ResolveGlobal(profile), issues);
        var deployment = await settings.GetDeploymentSettingsAsync(cancellationToken);
        var user = await users.GetAsync(scope.UserId!, cancellationToken)
            ?? throw new InvalidOperationException($"User '{scope.UserId}' does not exist.");
        var (global, shared) = await BaseProfilesAsync(scope.UserId!, deployment, cancellationToken);
        return (SenderSettingsResolver.ResolveForUser(user, profile, global, shared), issues);
    }

    private sealed record Candidate(SenderProfile? Profile, SenderProfile Existing, DeploymentSettings Deployment, IReadOnlyList<ValidationIssue> Issues);

    /// <summary>Validates <paramref name="input"/> and turns it into the profile a save would store (password encrypted).</summary>
    private async Task<Candidate> BuildAsync(ProfileScope scope, SenderProfileInput input, CancellationToken cancellationToken)
    {
        var existing = await settings.GetProfileAsync(scope, cancellationToken) ?? SenderProfile.Empty;
        var deployment = await settings.GetDeploymentSettingsAsync(cancellationToken);
        var inherited = scope.IsGlobal ? null : await InheritedAsync(scope.UserId!, deployment, cancellationToken);
        var context = new ValidationContext(
            deployment.PortPolicy,
            scope.IsGlobal ? ProfileScopeKind.Global : ProfileScopeKind.User,
            SharedSenderActive: !scope.IsGlobal && deployment.SharedSenderUserId is { } shared && shared != scope.UserId,
            ExistingHasPassword: existing.HasPassword,
            InheritedAuthentication: inherited?.Authentication,
            InheritedHost: inherited?.Host);
        var result = SenderProfileValidator.Validate(input, context);
        if (!result.IsValid) return new Candidate(null, existing, deployment, result.Issues);

        var normalized = result.Normalized;
        var protectedPassword = normalized.Password switch
        {
            null => existing.ProtectedPassword,   // not sent: keep
            "" => null,                           // empty: remove
            var plain => secrets.Protect(plain),
        };
        var profile = new SenderProfile
        {
            Enabled = normalized.Enabled,
            AccountName = normalized.AccountName,
            FromAddress = normalized.FromAddress,
            DisplayName = normalized.DisplayName,
            ReplyTo = normalized.ReplyTo,
            Description = normalized.Description,
            Host = normalized.Host,
            Port = normalized.Port,
            Encryption = normalized.Encryption,
            Authentication = normalized.Authentication,
            Login = normalized.Login,
            ProtectedPassword = protectedPassword,
            Bcc = normalized.Bcc,
            Signature = normalized.Signature,
            SenderMode = normalized.SenderMode,
            CertificateSha256 = normalized.CertificateSha256,
            RateLimitPerMinute = normalized.RateLimitPerMinute,
            RateLimitPerDay = normalized.RateLimitPerDay,
        };
        return new Candidate(profile, existing, deployment, result.Issues);
    }

    /// <summary>The effective settings of the global profile.</summary>
    public async Task<EffectiveSenderSettings> GetEffectiveGlobalAsync(CancellationToken cancellationToken = default) =>
        await WithReplyToRelayAsync(SenderSettingsResolver.ResolveGlobal(await GetProfileAsync(ProfileScope.Global, cancellationToken)), null, cancellationToken);

    /// <summary>The effective settings of <paramref name="user"/>.</summary>
    public async Task<EffectiveSenderSettings> GetEffectiveForUserAsync(User user, CancellationToken cancellationToken = default) =>
        (await GetEffectiveWithDeploymentAsync(user, cancellationToken)).Effective;

    /// <summary>A submission names a sender (user id) that does not exist; args: <c>value</c>.</summary>
    public const string SenderNotFound = "message.sender.notFound";

    /// <summary>A submission's sender has sending turned off; args: <c>value</c> (the user id, null for the global profile).</summary>
    public const string SenderDisabled = "message.sender.disabled";

    /// <summary>
    /// The effective settings mail from <paramref name="senderUserId"/> (null: the global profile)
    /// goes out with, or the issue on <c>senderUserId</c> that refuses it: no such user
    /// (<see cref="SenderNotFound"/>) or sending turned off (<see cref="SenderDisabled"/>). The
    /// sender checks every way of submitting mail makes (single messages and mailings).
    /// </summary>
    public async Task<(EffectiveSenderSettings? Sender, ValidationIssue? Issue)> GetSendingSenderAsync(string? senderUserId, CancellationToken cancellationToken = default)
    {
        EffectiveSenderSettings sender;
        if (senderUserId is not null)
        {
            if (await users.GetAsync(senderUserId, cancellationToken) is not { } user) return (null, SenderIssue(SenderNotFound, senderUserId));
            sender = await GetEffectiveForUserAsync(user, cancellationToken);
        }
        else
        {
            sender = await GetEffectiveGlobalAsync(cancellationToken);
        }
        return sender.Enabled ? (sender, null) : (null, SenderIssue(SenderDisabled, senderUserId));
    }

    /// <summary>The issue on <c>senderUserId</c> with <paramref name="code"/> and the id as <c>value</c>.</summary>
    public static ValidationIssue SenderIssue(string code, string? senderUserId) =>
        new("senderUserId", code, IssueSeverity.Error, new Dictionary<string, object?> { ["value"] = senderUserId });

    /// <summary>
    /// The effective settings of <paramref name="user"/> and the deployment settings they were
    /// resolved with (delivery checks the port policy against them without reading them again).
    /// </summary>
    public async Task<(EffectiveSenderSettings Effective, DeploymentSettings Deployment)> GetEffectiveWithDeploymentAsync(User user, CancellationToken cancellationToken = default)
    {
        var deployment = await settings.GetDeploymentSettingsAsync(cancellationToken);
        return (await WithReplyToRelayAsync(await ResolveAsync(user.Id, user, deployment, cancellationToken), deployment, cancellationToken), deployment);
    }

    // The reply-to relay's From lives in the deployment settings; only that mode needs it.
    private async Task<EffectiveSenderSettings> WithReplyToRelayAsync(EffectiveSenderSettings effective, DeploymentSettings? deployment, CancellationToken cancellationToken)
    {
        if (effective.SenderMode != SenderMode.ReplyToRelay) return effective;
        deployment ??= await settings.GetDeploymentSettingsAsync(cancellationToken);
        return effective with { ReplyToRelayFromAddress = deployment.ReplyToRelay.FromAddress };
    }

    private async Task<EffectiveSenderSettings> ResolveAsync(string userId, User? user, DeploymentSettings deployment, CancellationToken cancellationToken)
    {
        var (global, shared) = await BaseProfilesAsync(userId, deployment, cancellationToken);
        var own = await settings.GetProfileAsync(ProfileScope.ForUser(userId), cancellationToken);
        user ??= await users.GetAsync(userId, cancellationToken)
            ?? throw new InvalidOperationException($"User '{userId}' does not exist.");
        return SenderSettingsResolver.ResolveForUser(user, own, global, shared);
    }

    /// <summary>The layers below a user's own profile: the global profile and, while one is named and it is not this user, the shared sender's.</summary>
    private async Task<(SenderProfile Global, SenderProfile? Shared)> BaseProfilesAsync(string userId, DeploymentSettings deployment, CancellationToken cancellationToken)
    {
        var global = await GetProfileAsync(ProfileScope.Global, cancellationToken);
        SenderProfile? shared = null;
        if (deployment.SharedSenderUserId is { } sharedId && sharedId != userId)
            shared = await GetProfileAsync(ProfileScope.ForUser(sharedId), cancellationToken);
        return (global, shared);
    }

    /// <summary>What the user would get with nothing set in their own profile.</summary>
    private async Task<EffectiveSenderSettings> InheritedAsync(string userId, DeploymentSettings deployment, CancellationToken cancellationToken)
    {
        var (global, shared) = await BaseProfilesAsync(userId, deployment, cancellationToken);
        var user = await users.GetAsync(userId, cancellationToken)
            ?? throw new InvalidOperationException($"User '{userId}' does not exist.");
        return SenderSettingsResolver.ResolveForUser(user, userProfile: null, global, shared);
    }

    /// <summary>The names of the fields that differ; "password" when a password was sent, never its value.</summary>
    public static IReadOnlyList<string> ChangedFields(SenderProfile before, SenderProfile after, bool passwordTouched) =>
        SenderField.All
            .Where(field => field == SenderField.Password
                ? passwordTouched // ciphertext differs on every save: what counts is that one was sent
                : !Equals(before.ValueOf(field), after.ValueOf(field)))
            .ToArray();
}
