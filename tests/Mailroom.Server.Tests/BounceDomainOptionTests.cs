using Mailroom.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mailroom.Server.Tests;

/// <summary>Mailroom:Bounces:Domain is checked at start with the host rule (HostRules), and the refusal names the setting.</summary>
public sealed class BounceDomainOptionTests
{
    [Theory]
    [InlineData("bounces.123")]
    [InlineData("bounces_x.example.net")]
    [InlineData("bounces")]
    public void ABadBounceDomain_StopsTheStart_NamingTheSetting(string domain)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Validated(domain));

        Assert.Contains(error.Failures, f => f.StartsWith("Mailroom:Bounces:Domain must be a domain name", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("bounces.example.net")]
    [InlineData("")]
    public void AGoodOrNoBounceDomain_Passes(string domain) => Assert.Equal(domain, Validated(domain).Bounces.Domain);

    [Theory]
    [InlineData("Bounces.Example.NET.", "bounces.example.net")]
    [InlineData(" bounces.żółw.pl ", "bounces.xn--w-uga1v8h.pl")]
    public void TheBounceDomain_GoesOnTheWireInAsciiLowerCase_WithoutTheFinalDot(string configured, string wire)
    {
        var addresses = Validated(configured).Bounces.ToAddressOptions();

        Assert.Equal(wire, addresses.Domain);
        Assert.Equal($"bounces+0a1b@{wire}", addresses.EnvelopeSenderFor("0a1b"));
        Assert.Equal("0a1b", addresses.ReadMessageId($"<bounces+0a1b@{wire}>"));
    }

    private static MailroomOptions Validated(string domain)
    {
        var services = new ServiceCollection();
        services.AddOptions<MailroomOptions>().Configure(o => o.Bounces.Domain = domain).ValidateMailroom();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<MailroomOptions>>().Value;
    }
}
