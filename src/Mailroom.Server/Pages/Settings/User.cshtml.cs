using Mailroom.Core.Queue;
using Mailroom.Core.Settings;
using Mailroom.Core.Storage;
using Mailroom.Core.Users;
using Mailroom.Server.Apis;
using Mailroom.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Mailroom.Server.Pages.Settings;

/// <summary>A user's own sender settings (theirs, or any user's for an administrator) with the effective values and their sources.</summary>
public sealed class UserModel(
    SenderSettingsService settingsService, SenderConnectionCheck connectionCheck, MessageSubmissionService submission, IOptions<DeliveryOptions> delivery,
    IUserStore users, DeploymentSettingsService deployment)
    : ProfilePageModel(settingsService, connectionCheck, submission, delivery)
{
    [FromRoute]
    public string UserId { get; set; } = "";

    public override ProfileScope Scope => ProfileScope.ForUser(UserId);

    /// <summary>The user whose page this is.</summary>
    public User? Person { get; private set; }

    /// <summary>True when the signed-in person looks at their own Settings.</summary>
    public bool IsOwnPage => UserId == User.Id();

    /// <summary>What the user's mail is sent with, field by field, with sources (read when the page renders, so after a save).</summary>
    public async Task<IReadOnlyDictionary<string, EffectiveValue>> EffectiveAsync() =>
        (await Settings.GetEffectiveForUserAsync(Person!, HttpContext.RequestAborted)).Fields;

    protected override async Task<IActionResult?> PrepareAsync(CancellationToken ct)
    {
        if (!User.MayActFor(UserId)) return Forbid();
        Person = await users.GetAsync(UserId, ct);
        if (Person is null) return NotFound();
        var shared = (await deployment.GetAsync(ct)).SharedSenderUserId;
        OnlyCredentialsEditable = shared is not null && shared != UserId;
        // What each field would be with nothing set here: the placeholders.
        var (inherited, _) = await Settings.PreviewAsync(Scope, new SenderProfileInput(), ct);
        Inherited = inherited?.Fields;
        return null;
    }
}
