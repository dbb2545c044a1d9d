using Mailroom.Core.Bounces;

namespace Mailroom.Core.Tests.Bounces;

/// <summary>The bounce domain (Mailroom:Bounces:Domain) meets the host rule every other host name meets (HostRules).</summary>
public sealed class BounceDomainTests
{
    [Theory]
    [InlineData("bounces.example.net")]
    [InlineData(" bounces.example.net ")]
    [InlineData("bounces.example.net.")]
    [InlineData("zwroty.żółw.pl")]
    [InlineData("b-1.example.net")]
    public void DomainNames_AreAccepted(string domain) => Assert.True(BounceAddressOptions.IsValidDomain(domain));

    [Theory]
    // Uri.CheckHostName called these Dns names; no mail domain can be one (HostRules refuses them everywhere else).
    [InlineData("bounces.123")]
    [InlineData("bounces_x.example.net")]
    [InlineData("bounces-.example.net")]
    // Refused before as well.
    [InlineData("bounces")]
    [InlineData("-bounces.example.net")]
    [InlineData("bounces..example.net")]
    [InlineData("192.168.1.10")]
    [InlineData("bounces.example.net/x")]
    [InlineData("")]
    [InlineData(null)]
    public void NonDomains_AreRefused(string? domain) => Assert.False(BounceAddressOptions.IsValidDomain(domain));

    [Fact]
    public void TheRuleIsTheHostRule_NotUrisLooserOne()
    {
        const string underscore = "bounces_x.example.net";

        Assert.Equal(UriHostNameType.Dns, Uri.CheckHostName(underscore));
        Assert.False(Core.Settings.Validation.EmailAddressRules.IsValidAddress($"bounces+1@{underscore}"));
        Assert.False(BounceAddressOptions.IsValidDomain(underscore));
    }
}
