using System.Globalization;
using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;
using Mailroom.Core.Storage;
using Mailroom.Core.Users;
using Mailroom.Server.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Mailroom.Server.Pages.Admin;

/// <summary>Administration: users (list, add with role and sign-in password), the shared sender and the port policy.</summary>
public sealed class IndexModel(IUserStore users, UserAccountService accounts, DeploymentSettingsService deployment) : PageModel
{
    public IReadOnlyList<User> Users { get; private set; } = [];
    public DeploymentSettings Deployment { get; private set; } = DeploymentSettings.Default;
    public IReadOnlyList<ValidationIssue> Issues { get; private set; } = [];

    /// <summary>A confirmation sentence code with its arguments.</summary>
    public (string Code, Dictionary<string, object?> Args)? Done { get; private set; }

    [BindProperty] public string? NewId { get; set; }
    [BindProperty] public string? NewEmail { get; set; }
    [BindProperty] public string? NewDisplayName { get; set; }
    [BindProperty] public Role NewRole { get; set; } = Role.User;
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? SharedSenderUserId { get; set; }
    [BindProperty] public string? AdditionalPorts { get; set; }

    public IEnumerable<ValidationIssue> IssuesFor(string field) => Issues.Where(i => i.Field == field);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateUserAsync(CancellationToken ct)
    {
        var created = await accounts.CreateAsync(new NewUserRequest(NewId, NewEmail, NewDisplayName, NewRole, string.IsNullOrEmpty(NewPassword) ? null : NewPassword), ct);
        Issues = created.Issues;
        if (created.User is { } user)
        {
            Done = ("ui.admin.created", new() { ["email"] = user.Email, ["key"] = created.PlainKey });
            (NewId, NewEmail, NewDisplayName, NewRole) = (null, null, null, Role.User);
        }
        NewPassword = null; // never rendered back
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostSharedSenderAsync(CancellationToken ct)
    {
        var userId = string.IsNullOrEmpty(SharedSenderUserId) ? null : SharedSenderUserId;
        Issues = await deployment.SetSharedSenderAsync(userId, User.Id(), ct);
        if (Issues.Count == 0) Done = ("sharedSender.saved", []);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostPortsAsync(CancellationToken ct)
    {
        var parts = (AdditionalPorts ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var ports = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                Issues = [new ValidationIssue("additionalPorts", "ui.admin.ports.notNumbers", IssueSeverity.Error)];
                await LoadAsync(ct, keepTypedPorts: true);
                return Page();
            }
            ports.Add(port);
        }
        (_, Issues) = await deployment.SetAdditionalPortsAsync(ports, User.Id(), ct);
        if (Issues.Count == 0) Done = ("portPolicy.saved", []);
        await LoadAsync(ct, keepTypedPorts: Issues.Count > 0);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct, bool keepTypedPorts = false)
    {
        Users = await users.ListAsync(ct);
        Deployment = await deployment.GetAsync(ct);
        SharedSenderUserId = Deployment.SharedSenderUserId;
        if (!keepTypedPorts) AdditionalPorts = string.Join(", ", Deployment.PortPolicy.AdditionalPorts);
    }
}
