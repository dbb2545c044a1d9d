using Mailroom.Core.Settings.Validation;
using Mailroom.Core.Templates;
using Mailroom.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.Pages.Templates;

/// <summary>Templates: the list, one template's editor (saving makes a new version; administrators) and the preview with sample data.</summary>
public sealed class IndexModel(TemplateService templates) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    [BindProperty(SupportsGet = true)] public int? Version { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public string? PlSubject { get; set; }
    [BindProperty] public string? PlText { get; set; }
    [BindProperty] public string? PlHtml { get; set; }
    [BindProperty] public string? EnSubject { get; set; }
    [BindProperty] public string? EnText { get; set; }
    [BindProperty] public string? EnHtml { get; set; }
    [BindProperty] public string? SampleData { get; set; }
    [BindProperty] public string PreviewLanguage { get; set; } = "pl";

    public IReadOnlyList<MessageTemplate> All { get; private set; } = [];
    public IReadOnlyList<int> Versions { get; private set; } = [];
    public IReadOnlyList<ValidationIssue> Issues { get; private set; } = [];
    public RenderedContent? Preview { get; private set; }
    public int? SavedVersion { get; private set; }
    public bool Editing => Name is not null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        All = await templates.ListAsync(ct);
        if (Name is null) return;
        if (await templates.GetAsync(Name, Version, ct) is { } template) Load(template);
        Versions = await templates.ListVersionsAsync(Name, ct);
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (!User.IsAdministrator()) return Forbid();
        var (saved, issues) = await templates.SaveAsync(Name ?? "", Input(), User.Id(), ct);
        Issues = issues;
        if (saved is not null)
        {
            SavedVersion = saved.Version;
            Version = saved.Version;
        }
        All = await templates.ListAsync(ct);
        Versions = Name is null ? [] : await templates.ListVersionsAsync(Name, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        // The preview renders what is in the form, saved or not: compile it as an unsaved version.
        var input = Input();
        var template = new MessageTemplate
        {
            Name = Name ?? "preview", Version = Version ?? 0, CreatedAt = DateTimeOffset.UtcNow,
            Languages = input.Languages!.Where(l => l.Value is not null).ToDictionary(l => l.Key, l => l.Value!),
        };
        var (compiled, issues) = CompiledTemplate.Compile(template);
        var (data, dataIssue) = TemplateData.Parse(SampleData, "sampleData");
        if (dataIssue is not null) issues = [.. issues, dataIssue];
        if (compiled is not null && dataIssue is null)
        {
            var (content, renderIssues) = compiled.Render(PreviewLanguage == "en" ? "en" : "pl", data!);
            Preview = content;
            issues = renderIssues;
        }
        Issues = issues;
        All = await templates.ListAsync(ct);
        Versions = Name is null ? [] : await templates.ListVersionsAsync(Name, ct);
        return Page();
    }

    public IEnumerable<ValidationIssue> IssuesFor(string field) => Issues.Where(i => i.Field == field);

    private TemplateInput Input() => new(Description, new Dictionary<string, TemplateContent?>
    {
        ["pl"] = new(PlSubject ?? "", PlText, PlHtml),
        ["en"] = new(EnSubject ?? "", EnText, EnHtml),
    }, SampleData);

    private void Load(MessageTemplate template)
    {
        Version = template.Version;
        Description = template.Description;
        var pl = template.Languages.GetValueOrDefault("pl");
        var en = template.Languages.GetValueOrDefault("en");
        (PlSubject, PlText, PlHtml) = (pl?.Subject, pl?.Text, pl?.Html);
        (EnSubject, EnText, EnHtml) = (en?.Subject, en?.Text, en?.Html);
        SampleData = template.SampleDataJson;
    }
}
