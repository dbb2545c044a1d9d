using Mailroom.Server.Hosting;
using Microsoft.Extensions.Configuration;

namespace Mailroom.Server.Tests;

public class ConfigurationSourcesTests
{
    [Fact]
    public void EnvironmentAndCommandLineValues_AreLocked_FileAndDefaultsAreNot_SecretsAreMasked()
    {
        var variable = "MailroomTest" + Guid.NewGuid().ToString("N")[..6] + "_";
        Environment.SetEnvironmentVariable(variable + "Mailroom__Delivery__Concurrency", "9");
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Mailroom:DataDirectory"] = "/srv/mail", ["Mailroom:Delivery:Concurrency"] = "2" })
                .AddEnvironmentVariables(variable)
                .AddCommandLine(["--Mailroom:Storage:Provider", "postgresql", "--Mailroom:Storage:ConnectionString", "Host=db;Password=hunter2"])
                .Build();

            var entries = ConfigurationSources.Describe(configuration).ToDictionary(e => e.Key);

            Assert.Equal(("9", ConfigurationSource.Environment, true), (entries["Mailroom:Delivery:Concurrency"].Value, entries["Mailroom:Delivery:Concurrency"].Source, entries["Mailroom:Delivery:Concurrency"].Locked));
            Assert.Equal(ConfigurationSource.CommandLine, entries["Mailroom:Storage:Provider"].Source);
            Assert.True(entries["Mailroom:Storage:Provider"].Locked);
            Assert.Equal("(set)", entries["Mailroom:Storage:ConnectionString"].Value);
            Assert.Equal(("/srv/mail", ConfigurationSource.File, false), (entries["Mailroom:DataDirectory"].Value, entries["Mailroom:DataDirectory"].Source, entries["Mailroom:DataDirectory"].Locked));
            Assert.Equal(("32", ConfigurationSource.Default), (entries["Mailroom:Delivery:BatchSize"].Value, entries["Mailroom:Delivery:BatchSize"].Source));
            Assert.Contains("Mailroom:Delivery:SystemRelay:Host", entries.Keys);
            Assert.Null(entries["Mailroom:Delivery:SystemRelay:Password"].Value);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable + "Mailroom__Delivery__Concurrency", null);
        }
    }

    [Fact]
    public void WebhooksBouncesTemplatesAndOAuth_AreListedFromTheOneOptionsObject_SecretsMasked()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Mailroom:OAuth:Microsoft365:ClientId"] = "app-id",
                ["Mailroom:OAuth:Microsoft365:ClientSecret"] = "client-SECRET",
                ["Mailroom:OAuth:Microsoft365:CertificatePassword"] = "pfx-SECRET",
                ["Mailroom:Bounces:Imap:Password"] = "imap-SECRET",
            })
            .Build();

        var entries = ConfigurationSources.Describe(configuration).ToDictionary(e => e.Key);

        Assert.Equal(("8", ConfigurationSource.Default), (entries["Mailroom:Webhooks:MaxAttempts"].Value, entries["Mailroom:Webhooks:MaxAttempts"].Source));
        Assert.Equal("True", entries["Mailroom:Webhooks:DispatcherEnabled"].Value);
        Assert.Equal("bounces", entries["Mailroom:Bounces:LocalPart"].Value);
        Assert.Equal("993", entries["Mailroom:Bounces:Imap:Port"].Value);
        Assert.Equal("pl", entries["Mailroom:Templates:DefaultLanguage"].Value);
        Assert.Equal(("app-id", ConfigurationSource.File), (entries["Mailroom:OAuth:Microsoft365:ClientId"].Value, entries["Mailroom:OAuth:Microsoft365:ClientId"].Source));
        Assert.Equal("(set)", entries["Mailroom:OAuth:Microsoft365:ClientSecret"].Value);
        Assert.Equal("(set)", entries["Mailroom:OAuth:Microsoft365:CertificatePassword"].Value);
        Assert.Equal("(set)", entries["Mailroom:Bounces:Imap:Password"].Value);
        Assert.DoesNotContain(entries.Values, e => e.Value?.Contains("SECRET") == true);
    }
}
