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

    private static MailroomOptions Validated(string domain)
    {
        var services = new ServiceCollection();
        services.AddOptions<MailroomOptions>().Configure(o => o.Bounces.Domain = domain).ValidateMailroom();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<MailroomOptions>>().Value;
    }
}
