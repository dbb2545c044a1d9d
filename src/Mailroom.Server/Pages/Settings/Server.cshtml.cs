using System.Net.NetworkInformation;
using System.Net.Sockets;
using Mailroom.Core.Queue;
using Mailroom.Core.Settings;
using Mailroom.Server.Apis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Mailroom.Server.Pages.Settings;

/// <summary>The Mail server tab: the company's (global) profile, for administrators.</summary>
public sealed class ServerModel(
    SenderSettingsService settings, SenderConnectionCheck connectionCheck, MessageSubmissionService submission, IOptions<DeliveryOptions> delivery,
    DeploymentSettingsService deployment)
    : ProfilePageModel(settings, connectionCheck, submission, delivery)
{
    public override ProfileScope Scope => ProfileScope.Global;

    /// <summary>25, 465, 587 and any the administrator opened.</summary>
    public IReadOnlyList<int> AllowedPorts { get; private set; } = PortPolicy.DefaultPorts;

    /// <summary>This machine's own addresses: what a server that allow-lists by IP sees mail coming from (unless NAT says otherwise).</summary>
    public IReadOnlyList<string> SendingAddresses { get; } = NetworkInterface.GetAllNetworkInterfaces()
        .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
        .SelectMany(n => n.GetIPProperties().UnicastAddresses)
        .Select(a => a.Address)
        .Where(a => a.AddressFamily == AddressFamily.InterNetwork || (a.AddressFamily == AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal))
        .Select(a => a.ToString())
        .Distinct()
        .ToArray();

    protected override async Task<IActionResult?> PrepareAsync(CancellationToken ct)
    {
        AllowedPorts = (await deployment.GetAsync(ct)).PortPolicy.AllowedPorts;
        return null;
    }
}
