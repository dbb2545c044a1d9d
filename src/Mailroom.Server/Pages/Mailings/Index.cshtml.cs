using Mailroom.Core.Mailings;
using Mailroom.Core.Settings.Validation;
using Mailroom.Core.Templates;
using Mailroom.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.Pages.Mailings;

/// <summary>Mass mailings: the list with progress, and the form that starts one (recipients file and attachments uploaded).</summary>
[Hosting.UploadEndpoint]
public sealed class IndexModel(MailingService mailings, TemplateService templates) : PageModel
{
    [BindProperty] public string? Template { get; set; }
    [BindProperty] public string? Language { get; set; }
    [BindProperty] public string? Sender { get; set; }
    [BindProperty] public string? MailingName { get; set; }
    [BindProperty] public IFormFile? Recipients { get; set; }
    [BindProperty] public List<IFormFile> Attachments { get; set; } = [];

    public IReadOnlyList<MailingProgress> All { get; private set; } = [];
    public IReadOnlyList<MessageTemplate> Templates { get; private set; } = [];
    public IReadOnlyList<ValidationIssue> Issues { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var sender = User.IsAdministrator() && !string.IsNullOrWhiteSpace(Sender) ? Sender.Trim() : User.Id();
        if (Recipients is null)
        {
            Issues = [TemplateCodes.Issue("recipients", TemplateCodes.RecipientsRequired)];
            await LoadAsync(ct);
            return Page();
        }
        var files = Attachments.Select(Apis.MailingUploads.ToMailingFile).ToArray();
        await using var upload = Recipients.OpenReadStream();
        var (format, stream) = await RecipientReader.DetectAsync(upload, Recipients.FileName, ct);
        var (mailing, issues) = await mailings.StartAsync(new MailingRequest(Template, null, Language, sender, MailingName),
            RecipientReader.ReadAsync(stream, format, ct), files, User.Id(), ct);
        if (mailing is not null) return Redirect($"/mailings/{mailing.Id}");
        Issues = issues;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Templates = await templates.ListAsync(ct);
        All = await mailings.ListProgressAsync(User.IsAdministrator() ? null : User.Id(), 50, ct);
    }
}
