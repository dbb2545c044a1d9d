using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;
using Mailroom.Server.Apis;
using Mailroom.Server.Security;
using Mailroom.Server.WebUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Mailroom.Server.Pages.Settings;

/// <summary>
/// One sender profile on a page: the account settings form (save, check connection) and the
/// "send a test message" section. The Mail server tab (global profile) and a user's own settings
/// are this page with a different scope.
/// </summary>
public abstract class ProfilePageModel(
    SenderSettingsService settings, SenderConnectionCheck connectionCheck, MessageSubmissionService submission, IOptions<DeliveryOptions> delivery)
    : PageModel
{
    /// <summary>Reads and saves the profile.</summary>
    protected SenderSettingsService Settings { get; } = settings;

    /// <summary>Attachments of a test message larger than this are refused before reading them.</summary>
    public const long MaxTestAttachmentBytes = 5 * 1024 * 1024;

    /// <summary>The profile as typed (or as stored when the page opens); never holds the stored password.</summary>
    [BindProperty]
    public SenderProfileInput Input { get; set; } = new();

    /// <summary>Ticked to remove the stored password.</summary>
    [BindProperty]
    public bool RemovePassword { get; set; }

    [BindProperty]
    public string? TestTo { get; set; }

    [BindProperty]
    public string? TestSubject { get; set; }

    [BindProperty]
    public string? TestBody { get; set; }

    [BindProperty]
    public IFormFile? TestAttachment { get; set; }

    /// <summary>The profile this page edits.</summary>
    public abstract ProfileScope Scope { get; }

    /// <summary>Whose mail a test message is sent as (null: the global profile).</summary>
    public string? SenderUserId => Scope.UserId;

    /// <summary>True when a password is stored (it is never shown).</summary>
    public bool HasPassword { get; private set; }

    /// <summary>Errors and warnings of the last save, check or test message, by field.</summary>
    public IReadOnlyList<ValidationIssue> Issues { get; private set; } = [];

    /// <summary>True right after a successful save.</summary>
    public bool Saved { get; private set; }

    /// <summary>The last connection check, in the page's language.</summary>
    public LocalizedConnectionCheck? CheckReport { get; private set; }

    /// <summary>The test message just queued, whose status the page follows.</summary>
    public string? QueuedMessageId { get; private set; }

    /// <summary>What an empty field would inherit, with its source (user pages only).</summary>
    public IReadOnlyDictionary<string, EffectiveValue>? Inherited { get; protected set; }

    /// <summary>True while a shared sender is named and this is another user's page: only login and password are editable.</summary>
    public bool OnlyCredentialsEditable { get; protected set; }

    /// <summary>The page's language.</summary>
    public string Language => UiLanguage.Of(HttpContext);

    /// <summary>
    /// True when this profile's mail, as stored, goes to the System sender and the deployment has no
    /// relay: it is written to .eml files, not delivered, and the page says so (read when the page renders).
    /// </summary>
    public async Task<bool> CapturesLocallyAsync()
    {
        if (delivery.Value.SystemRelay.IsConfigured) return false;
        var (effective, _) = await Settings.PreviewAsync(Scope, null, HttpContext.RequestAborted);
        return effective?.SenderMode == SenderMode.System;
    }

    /// <summary>The error and warning sentences for <paramref name="field"/>.</summary>
    public IEnumerable<ValidationIssue> IssuesFor(string field) => Issues.Where(i => i.Field == field);

    /// <summary>True when <paramref name="field"/> may be changed on this page.</summary>
    public bool IsEditable(string field) => !OnlyCredentialsEditable || SenderField.OverridableUnderSharedSender.Contains(field);

    /// <summary>Loads the page's context (access, inherited values); null to go on, or the result that ends the request.</summary>
    protected abstract Task<IActionResult?> PrepareAsync(CancellationToken ct);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await PrepareAsync(ct) is { } stop) return stop;
        await LoadStoredAsync(ct);
        return Page();
    }

    /// <summary>
    /// A POST naming no handler (only a crafted request does that): the page as GET shows it.
    /// Without this, Razor Pages would render the page without preparing it (a 500).
    /// </summary>
    public Task<IActionResult> OnPostAsync(CancellationToken ct) => OnGetAsync(ct);

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (await PrepareAsync(ct) is { } stop) return stop;
        var input = TypedInput();
        if (Issues.Count == 0)
        {
            var outcome = await Settings.SaveProfileAsync(Scope, input, User.Id(), ct);
            Issues = outcome.Issues;
            Saved = outcome.Saved;
        }
        if (Saved) await LoadStoredAsync(ct);
        else HasPassword = (await Settings.GetProfileAsync(Scope, ct)).HasPassword;
        return Page();
    }

    public async Task<IActionResult> OnPostCheckAsync(CancellationToken ct)
    {
        if (await PrepareAsync(ct) is { } stop) return stop;
        var input = TypedInput();
        if (Issues.Count == 0)
        {
            var outcome = await connectionCheck.RunAsync(Scope, input, ct);
            Issues = outcome.Issues;
            CheckReport = outcome.Report?.Localize(Language);
        }
        HasPassword = (await Settings.GetProfileAsync(Scope, ct)).HasPassword;
        return Page();
    }

    public async Task<IActionResult> OnPostTestMessageAsync(CancellationToken ct)
    {
        if (await PrepareAsync(ct) is { } stop) return stop;
        await LoadStoredAsync(ct);
        List<MessageAttachment> attachments = [];
        if (TestAttachment is { Length: > 0 } file)
        {
            if (file.Length > MaxTestAttachmentBytes)
            {
                Issues = [new ValidationIssue("testAttachment", "ui.test.attachmentTooLarge", IssueSeverity.Error,
                    new Dictionary<string, object?> { ["megabytes"] = MaxTestAttachmentBytes / (1024 * 1024) })];
                return Page();
            }
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            attachments.Add(new MessageAttachment(Path.GetFileName(file.FileName), file.ContentType ?? "application/octet-stream", buffer.ToArray()));
        }
        var outcome = await submission.SubmitTestMessageAsync(SenderUserId, TestTo, TestSubject, TestBody, attachments, Language, ct);
        // The test form's fields are named "to", "subject"…; the page shows them next to its own inputs.
        Issues = outcome.Issues.Select(i => i with { Field = "test." + i.Field }).ToArray();
        QueuedMessageId = outcome.Result?.Id;
        return Page();
    }

    private async Task LoadStoredAsync(CancellationToken ct)
    {
        var stored = await Settings.GetProfileAsync(Scope, ct);
        HasPassword = stored.HasPassword;
        var view = SenderProfileView.From(stored);
        Input = new SenderProfileInput
        {
            Enabled = view.Enabled, AccountName = view.AccountName, FromAddress = view.FromAddress, DisplayName = view.DisplayName,
            ReplyTo = view.ReplyTo, Description = view.Description, Host = view.Host, Port = view.Port, Encryption = view.Encryption,
            Authentication = view.Authentication, Login = view.Login, Bcc = view.Bcc, Signature = view.Signature, SenderMode = view.SenderMode,
            CertificateSha256 = view.CertificateSha256, RateLimitPerMinute = view.RateLimitPerMinute, RateLimitPerDay = view.RateLimitPerDay,
        };
    }

    /// <summary>
    /// The bound input; a value the form could not even parse (letters in the port) becomes an
    /// issue on its field, so nothing is saved and the reason shows where it belongs.
    /// </summary>
    private SenderProfileInput TypedInput()
    {
        var prefix = nameof(Input) + ".";
        Issues = ModelState
            .Where(entry => entry.Key.StartsWith(prefix, StringComparison.Ordinal) && entry.Value is { Errors.Count: > 0 })
            .Select(entry => FieldName(entry.Key[prefix.Length..]))
            .Select(field => new ValidationIssue(field, "request.wrongType", IssueSeverity.Error, new Dictionary<string, object?> { ["field"] = field }))
            .ToArray();
        return RemovePassword ? Input with { Password = "" } : Input;
    }

    private static string FieldName(string property) => char.ToLowerInvariant(property[0]) + property[1..];
}
