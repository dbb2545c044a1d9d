using Mailroom.Core.Bounces;
using Mailroom.Core.Suppression;
using Mailroom.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.Pages.Admin;

/// <summary>The suppression list (list, search, lift) and the mail kept from the bounce mailbox.</summary>
public sealed class SuppressionsModel(ISuppressionStore suppressions, IInboundMailStore inbound, ILogger<SuppressionsModel> log) : PageModel
{
    /// <summary>Entries shown per page.</summary>
    public const int PageSize = 50;

    public SuppressionPage Entries { get; private set; } = new([], null);
    public InboundMailPage Inbound { get; private set; } = new([], null);

    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty(SupportsGet = true)] public string? Cursor { get; set; }
    [BindProperty] public string? Address { get; set; }

    /// <summary>A confirmation sentence code with its arguments.</summary>
    public (string Code, Dictionary<string, object?> Args)? Done { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostLiftAsync(CancellationToken ct)
    {
        var address = Address ?? "";
        var lifted = await suppressions.RemoveAsync(address, ct);
        if (lifted) log.LogInformation("Suppression of {Address} lifted by {User}", SuppressionAddress.Normalize(address), User.Id());
        Done = (lifted ? "suppression.lifted" : "suppression.notFound", new() { ["value"] = SuppressionAddress.Normalize(address) });
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Entries = await suppressions.ListAsync(Search, PageSize, Cursor, ct);
        Inbound = await inbound.ListAsync(null, null, PageSize, null, ct);
    }
}
