using Mailroom.Core.Events;
using Mailroom.Core.Settings.Validation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.Pages.Admin;

/// <summary>Webhook endpoints: add (the secret shown once), switch, delete, and each one's delivery log.</summary>
public sealed class WebhooksModel(IWebhookStore store, WebhookService webhooks) : PageModel
{
    public IReadOnlyList<WebhookEndpoint> Endpoints { get; private set; } = [];
    public IReadOnlyList<ValidationIssue> Issues { get; private set; } = [];

    /// <summary>The new endpoint's secret, rendered on the answer to the POST that created it and never again.</summary>
    public string? NewSecret { get; private set; }

    [BindProperty] public string? HookUrl { get; set; }
    [BindProperty] public string? HookTypes { get; set; }
    [BindProperty] public bool Enabled { get; set; } = true;

    /// <summary>The endpoint whose delivery log is shown.</summary>
    [BindProperty(SupportsGet = true)] public string? Log { get; set; }

    public IReadOnlyList<WebhookAttempt> Attempts { get; private set; } = [];

    public IEnumerable<ValidationIssue> IssuesFor(string field) => Issues.Where(i => i.Field == field || i.Field.StartsWith(field + "[", StringComparison.Ordinal));

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var types = (HookTypes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var outcome = await webhooks.CreateAsync(new WebhookInput(HookUrl, types, Enabled), ct);
        Issues = outcome.Issues;
        if (outcome.Endpoint is not null) (NewSecret, HookUrl, HookTypes) = (outcome.Secret, null, null);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostToggleAsync(string id, CancellationToken ct)
    {
        if (await store.GetEndpointAsync(id, ct) is { } endpoint) await webhooks.UpdateAsync(id, new WebhookInput(null, null, !endpoint.Enabled), ct);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string id, CancellationToken ct)
    {
        await store.DeleteEndpointAsync(id, ct);
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Endpoints = await store.ListEndpointsAsync(ct);
        if (Log is not null && Endpoints.Any(e => e.Id == Log)) Attempts = await store.ListAttemptsAsync(Log, 100, ct);
    }
}
