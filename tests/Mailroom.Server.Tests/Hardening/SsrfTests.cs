using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Server.Tests.Hardening;

/// <summary>
/// Mailroom:Security:BlockPrivateNetworksForUserProfiles (on by default): a user's own profile may
/// not make the server connect to loopback or private networks — neither to deliver nor to "check
/// connection" — while the administrator's global profile may. A scripted SMTP server on 127.0.0.1
/// is the internal host; its connection count proves nothing reached it.
/// </summary>
public class SsrfTests : IAsyncLifetime
{
    private readonly ScriptedSmtpServer _internal = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _internal.DisposeAsync();

    private static MailroomServerFactory Factory(bool? block, IHostResolver? resolver = null) => new(withBootstrapKey: true, configure: b =>
    {
        if (resolver is not null) b.ConfigureTestServices(services => services.AddSingleton(resolver));
        b.UseSetting("Mailroom:Delivery:PollInterval", "00:00:00.100");
        b.UseSetting("Mailroom:Delivery:RetryDelays", "00:10:00");
        // null: the shipped default (the factory's test-bed opt-out removed again).
        b.UseSetting("Mailroom:Security:BlockPrivateNetworksForUserProfiles", block?.ToString() ?? new Mailroom.Hosting.SecurityOptions().BlockPrivateNetworksForUserProfiles.ToString());
    });

    private async Task<HttpClient> AnnaPointingAtAsync(MailroomServerFactory factory, string host)
    {
        (await factory.Admin().PutJsonAsync("/api/settings/port-policy", new { additionalPorts = new[] { _internal.Port } })).EnsureSuccessStatusCode();
        var anna = await factory.NewUserAsync("anna", "anna@firma.pl");
        var saved = await anna.PutJsonAsync("/api/users/anna/settings", new
        {
            host, port = _internal.Port, encryption = "none", authentication = "none", senderMode = "ownSmtp", fromAddress = "anna@firma.pl",
        });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        return anna;
    }

    private static async Task<JsonNode> SubmitAndWaitAsync(HttpClient client, params string[] final)
    {
        var id = await QueueDriving.PostMessageAsync(client, new { to = new[] { "odbiorca@example.com" }, subject = "SSRF", text = "x" });
        return await QueueDriving.WaitForStatusAsync(client, id, final);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task ByDefault_UserProfileToLoopback_IsHeldWithAReason_AndNothingConnects(string host)
    {
        using var factory = Factory(block: null);
        var anna = await AnnaPointingAtAsync(factory, host);

        var message = await SubmitAndWaitAsync(anna, "held", "sent", "failed");

        Assert.Equal("held", (string?)message["status"]);
        Assert.Contains("internal addresses", (string?)message["statusReason"]);
        Assert.Equal(0, _internal.ConnectionCount);
    }

    [Theory]
    [InlineData("en", "internal addresses")]
    [InlineData("pl", "adresy wewnętrzne")]
    public async Task ByDefault_ConnectionCheckOfAUserProfile_StopsAtDns_WithTheReason(string language, string phrase)
    {
        using var factory = Factory(block: null);
        var anna = await AnnaPointingAtAsync(factory, "127.0.0.1");
        anna.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);

        var response = await anna.PostAsync("/api/users/anna/settings/check", null);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Contains("blockedAddress", text);
        Assert.Contains(phrase, System.Text.RegularExpressions.Regex.Unescape(text));
        Assert.Equal(0, _internal.ConnectionCount);
    }

    [Fact]
    public async Task TheGlobalProfile_IsTheAdministrators_AndMayUseAnInternalRelay()
    {
        using var factory = Factory(block: true);
        var admin = factory.Admin();
        (await admin.PutJsonAsync("/api/settings/port-policy", new { additionalPorts = new[] { _internal.Port } })).EnsureSuccessStatusCode();
        (await admin.PutJsonAsync("/api/settings/global", new
        {
            host = "127.0.0.1", port = _internal.Port, encryption = "none", authentication = "none", senderMode = "ownSmtp", fromAddress = "firma@firma.pl",
        })).EnsureSuccessStatusCode();

        var message = await SubmitAndWaitAsync(admin, "sent", "held", "failed", "deferred");

        Assert.Equal("sent", (string?)message["status"]);
        Assert.Single(_internal.Messages);
    }

    [Fact]
    public async Task WithTheOptionOff_AUserProfileMayReachTheInternalServer()
    {
        using var factory = Factory(block: false);
        var anna = await AnnaPointingAtAsync(factory, "127.0.0.1");

        var message = await SubmitAndWaitAsync(anna, "sent", "held", "failed", "deferred");

        Assert.Equal("sent", (string?)message["status"]);
        Assert.Single(_internal.Messages);
    }

    [Fact]
    public async Task APortClosedAfterTheProfileWasSaved_IsNotUsed()
    {
        using var factory = Factory(block: false);
        var anna = await AnnaPointingAtAsync(factory, "127.0.0.1");
        (await factory.Admin().PutJsonAsync("/api/settings/port-policy", new { additionalPorts = Array.Empty<int>() })).EnsureSuccessStatusCode();

        var message = await SubmitAndWaitAsync(anna, "held", "sent", "failed");

        Assert.Equal("held", (string?)message["status"]);
        Assert.Contains($"Port {_internal.Port} is not among the ports", (string?)message["statusReason"]);
        Assert.Equal(0, _internal.ConnectionCount);
    }

    [Fact]
    public async Task NamesOfUserServers_AreResolvedByTheHostsResolver_ForDeliveryAndTheCheckAlike()
    {
        // Only this host's resolver knows the name (DNS would say it does not exist); it points at loopback.
        const string name = "smtp.intranet.invalid";
        using var factory = Factory(block: true, new LoopbackNames(name));
        var anna = await AnnaPointingAtAsync(factory, name);

        var check = await anna.PostAsync("/api/users/anna/settings/check", null);
        var message = await SubmitAndWaitAsync(anna, "held", "sent", "failed");

        Assert.Contains("blockedAddress", await check.Content.ReadAsStringAsync());
        Assert.Equal("held", (string?)message["status"]);
        Assert.Contains("internal addresses (127.0.0.1)", (string?)message["statusReason"]);
        Assert.Equal(0, _internal.ConnectionCount);
    }

    private sealed class LoopbackNames(params string[] names) : IHostResolver
    {
        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
            names.Contains(host, StringComparer.OrdinalIgnoreCase)
                ? Task.FromResult<IReadOnlyList<IPAddress>>([IPAddress.Loopback])
                : throw new SocketException((int)SocketError.HostNotFound);
    }
}
