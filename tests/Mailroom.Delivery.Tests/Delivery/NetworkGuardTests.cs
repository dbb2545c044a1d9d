using System.Net;
using System.Reflection;
using Mailroom.Core.Delivery;
using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Delivery.Tests.ConnectionCheck;
using Mailroom.Core.Settings;
using Mailroom.Testing;

namespace Mailroom.Delivery.Tests.Delivery;

/// <summary>Which addresses the SSRF rule lets through, and that the one connect path obeys it.</summary>
public sealed class NetworkGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")] [InlineData("127.8.9.10")] [InlineData("10.1.2.3")] [InlineData("172.16.0.1")] [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")] [InlineData("169.254.169.254")] [InlineData("100.64.0.1")] [InlineData("0.0.0.0")] [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")] [InlineData("::1")] [InlineData("::")] [InlineData("fe80::1")] [InlineData("fd00::1")] [InlineData("fc00::5")]
    [InlineData("::ffff:127.0.0.1")] [InlineData("::ffff:10.0.0.1")] [InlineData("64:ff9b::a00:1")] [InlineData("2002:a00:1::1")] [InlineData("ff02::1")]
    public void InternalAddresses_AreNotPublic(string address) => Assert.False(NetworkGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")] [InlineData("172.32.0.1")] [InlineData("172.15.255.255")] [InlineData("100.128.0.1")] [InlineData("193.0.6.139")]
    [InlineData("2a00:1450:4001:80b::201a")] [InlineData("::ffff:8.8.8.8")]
    public void InternetAddresses_ArePublic(string address) => Assert.True(NetworkGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData(SettingSource.User, true)]
    [InlineData(SettingSource.SharedSender, true)]
    [InlineData(SettingSource.Global, false)]
    [InlineData(SettingSource.SystemDefault, false)]
    public void OnlyServersFromPeoplesProfiles_AreRestricted(SettingSource source, bool restricted)
    {
        var settings = DeliveryTestData.OwnSmtp("127.0.0.1", 25) with { Sources = new Dictionary<string, SettingSource> { [SenderField.Host] = source } };
        Assert.Equal(restricted, NetworkGuard.IsUserLevelServer(settings));
    }

    [Fact]
    public async Task RestrictedEndpoint_ToLoopback_IsRefusedBeforeAnyConnection()
    {
        await using var server = new ScriptedSmtpServer();
        using var client = SmtpConnector.CreateClient(new SmtpEndpoint("127.0.0.1", server.Port, EncryptionMode.None, AuthenticationMethod.None, null, null, null), TimeSpan.FromSeconds(5));
        var endpoint = new SmtpEndpoint("127.0.0.1", server.Port, EncryptionMode.None, AuthenticationMethod.None, null, null, null) { PublicAddressesOnly = true };

        var error = await Assert.ThrowsAsync<BlockedAddressException>(() => SmtpConnector.ConnectAndAuthenticateAsync(client, endpoint, SystemHostResolver.Instance, CancellationToken.None));

        Assert.Equal(IPAddress.Loopback, Assert.Single(error.Addresses));
        Assert.Equal(0, server.ConnectionCount);
        Assert.Equal(DeliveryOutcomeKind.SenderProblem, SmtpFailureClassifier.Classify(error, endpoint.ToString()).Kind);
    }

    [Fact]
    public async Task UnrestrictedEndpoint_ToLoopback_Connects()
    {
        await using var server = new ScriptedSmtpServer();
        var endpoint = new SmtpEndpoint("127.0.0.1", server.Port, EncryptionMode.None, AuthenticationMethod.None, null, null, null);
        using var client = SmtpConnector.CreateClient(endpoint, TimeSpan.FromSeconds(5));

        await SmtpConnector.ConnectAndAuthenticateAsync(client, endpoint, SystemHostResolver.Instance, CancellationToken.None);

        Assert.True(client.IsConnected);
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task UnrestrictedEndpoint_IsConnectedThroughTheOneConnectPath_WithTheGivenResolver()
    {
        // "relay.internal" exists only for this resolver: MailKit's own connect (Nagle on, the system's DNS)
        // could not reach it, so a connection proves the administrator's relay goes through NetworkGuard.ConnectAsync too.
        await using var server = new ScriptedSmtpServer();
        var endpoint = new SmtpEndpoint("relay.internal", server.Port, EncryptionMode.None, AuthenticationMethod.None, null, null, null);
        using var client = SmtpConnector.CreateClient(endpoint, TimeSpan.FromSeconds(5));

        await SmtpConnector.ConnectAndAuthenticateAsync(client, endpoint, new FakeHostResolver("relay.internal"), CancellationToken.None);

        Assert.True(client.IsConnected);
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task Connections_HaveNaglesAlgorithmOff()
    {
        // With it on, the message's final "." waits for the server's delayed ACK of the data before it: 40 ms
        // per message larger than one segment (bench/README.md, mailing delivery 84 -> 938 msgs/s).
        await using var server = new ScriptedSmtpServer();

        using var socket = await NetworkGuard.ConnectAsync([IPAddress.Loopback], server.Port, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.True(socket.Connected);
        Assert.True(socket.NoDelay);
    }

    [Fact]
    public async Task Agent_DeliveringForAUserProfileToLoopback_ReportsASenderProblem_AndNeverConnects()
    {
        await using var server = new ScriptedSmtpServer();
        await using var agent = DeliveryTestData.Agent();
        var sender = DeliveryTestData.OwnSmtp("127.0.0.1", server.Port) with
        {
            Sources = new Dictionary<string, SettingSource> { [SenderField.Host] = SettingSource.User },
        };

        var outcome = await agent.DeliverAsync(DeliveryTestData.Queued("odbiorca@example.com"), sender);

        Assert.Equal(DeliveryOutcomeKind.SenderProblem, outcome.Kind);
        Assert.Contains("internal addresses", outcome.Reason);
        Assert.Equal(0, server.ConnectionCount);
    }

    [Fact]
    public async Task Agent_ResolvesRestrictedNames_WithTheResolverItWasGiven()
    {
        // Only this agent's resolver knows the name (the system's would say it does not exist), and it points at loopback.
        await using var server = new ScriptedSmtpServer();
        await using var agent = new SmtpDeliveryAgent(new SmtpDeliveryOptions { CommandTimeout = DeliveryTestData.TestCommandTimeout },
            new DeliveryTestData.ReversibleSecretProtector(), resolver: new FakeHostResolver("smtp.intranet.invalid"));
        var sender = DeliveryTestData.OwnSmtp("smtp.intranet.invalid", server.Port) with
        {
            Sources = new Dictionary<string, SettingSource> { [SenderField.Host] = SettingSource.User },
        };

        var outcome = await agent.DeliverAsync(DeliveryTestData.Queued("odbiorca@example.com"), sender);

        Assert.Equal(DeliveryOutcomeKind.SenderProblem, outcome.Kind);
        Assert.Contains("smtp.intranet.invalid", outcome.Reason);
        Assert.Contains("internal addresses (127.0.0.1)", outcome.Reason);
        Assert.Equal(0, server.ConnectionCount);
    }

    [Theory]
    [InlineData(typeof(NetworkGuard))]
    [InlineData(typeof(SmtpConnector))]
    public void TheConnectPath_HasNoProcessWideStateATestCouldSwap(Type type)
    {
        // Tests in one process run in parallel: a settable static would let one test's fake reach another's connections.
        const BindingFlags statics = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        Assert.Empty(type.GetProperties(statics).Where(p => p.SetMethod is not null).Select(p => p.Name));
        Assert.Empty(type.GetFields(statics).Where(f => !f.IsInitOnly && !f.IsLiteral).Select(f => f.Name));
    }
}
