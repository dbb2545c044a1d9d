using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Core.Localization;
using Mailroom.Core.Presets;
using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;

namespace Mailroom.Core.Tests.Presets;

public class ProviderCatalogTests
{
    private static ProviderCatalog Catalog => ProviderCatalog.Default;

    [Fact]
    public void EmbeddedCatalog_BreaksNoRule_AndEveryEntryPassesTheSettingsValidation()
    {
        Assert.Empty(ProviderCatalog.Check(Catalog.Providers));
        foreach (var provider in Catalog.Providers)
        {
            var input = provider.ToProfileInput("annanowak@" + provider.Domains.First()) with
            {
                Password = provider.Authentication == AuthenticationMethod.Password ? "abcdefghijklmnop" : null,
            };
            var result = SenderProfileValidator.Validate(input, new ValidationContext(PortPolicy.Default, ProfileScopeKind.Global));
            Assert.True(result.IsValid, $"{provider.Key}: {string.Join("; ", result.Errors.Select(e => e.Message("en")))}");
            Assert.All(provider.Notes, note => Assert.True(Messages.IsKnown(note), note));
        }
    }

    [Fact]
    public void EmbeddedCatalog_HasEveryProviderTheIssueNames()
    {
        foreach (var key in new[] { "gmail", "microsoft365", "outlook", "wp", "onet", "interia", "o2", "yahoo", "icloud", "zoho" })
            Assert.NotNull(Catalog.Find(key));
        foreach (var domain in new[] { "op.pl", "vp.pl", "onet.eu", "poczta.onet.pl", "onet.pl" })
            Assert.Equal("onet", Catalog.FindByDomain(domain)?.Key);
        foreach (var domain in new[] { "interia.pl", "poczta.fm", "interia.eu" })
            Assert.Equal("interia", Catalog.FindByDomain(domain)?.Key);
        foreach (var domain in new[] { "o2.pl", "tlen.pl", "go2.pl" })
            Assert.Equal("o2", Catalog.FindByDomain(domain)?.Key);
        var gmail = Catalog.Find("gmail")!;
        Assert.Equal(new AppPasswordRule(true, 16, true), gmail.AppPassword);
        Assert.Equal(500, gmail.DailyLimit);
        Assert.Equal(500, gmail.ToProfileInput("a@gmail.com").RateLimitPerDay);
    }

    // The seeds' worked examples, value for value.
    [Theory]
    [InlineData("jankowalski@wp.pl", "smtp.wp.pl", 587, EncryptionMode.Auto, AuthenticationMethod.Password, "jankowalski")]
    [InlineData("annanowak@op.pl", "smtp.poczta.onet.pl", 465, EncryptionMode.SslTls, AuthenticationMethod.Password, "annanowak@op.pl")]
    [InlineData("annanowa@gmail.com", "smtp.gmail.com", 465, EncryptionMode.SslTls, AuthenticationMethod.Password, "annanowa@gmail.com")]
    [InlineData("test@gmail.com", "smtp.gmail.com", 465, EncryptionMode.SslTls, AuthenticationMethod.Password, "test@gmail.com")]
    public async Task Lookup_OfEachSeedExample_GivesTheSeedsSettings(string email, string host, int port, EncryptionMode encryption,
        AuthenticationMethod authentication, string login)
    {
        var result = await Service(new FakeMx()).LookupAsync(email, PortPolicy.Default, detect: false, new DetectionOptions(), CancellationToken.None);

        Assert.Equal(PresetSource.Catalog, result.Source);
        var settings = result.Settings!;
        Assert.Equal((host, port, encryption, authentication, login),
            (settings.Host, settings.Port, settings.Encryption, settings.Authentication, settings.Login));
        Assert.NotEmpty(result.Explanations);
        Assert.All(result.Explanations, e => Assert.NotEqual(e.In("en"), e.In("pl")));
    }

    [Fact]
    public async Task Lookup_OfACustomDomainWithMicrosoft365Mx_GivesMicrosoft365WithOAuth_AsInTheDirectoSeed()
    {
        var mx = new FakeMx(("firma.pl", "firma-pl.mail.protection.outlook.com"));

        var result = await Service(mx).LookupAsync("jan@firma.pl", PortPolicy.Default, detect: false, new DetectionOptions(), CancellationToken.None);

        Assert.Equal(PresetSource.Mx, result.Source);
        Assert.Equal("microsoft365", result.Provider!.Key);
        Assert.Equal(("smtp.office365.com", 587, EncryptionMode.StartTls, AuthenticationMethod.OAuth2Microsoft365, SenderMode.Microsoft365OAuth),
            (result.Settings!.Host, result.Settings.Port, result.Settings.Encryption, result.Settings.Authentication, result.Settings.SenderMode));
        Assert.Contains("firma-pl.mail.protection.outlook.com", result.Explanations[0].In("pl"));
    }

    [Theory]
    [InlineData("aspmx.l.google.com")]
    [InlineData("alt1.aspmx.l.google.com.")]
    [InlineData("gmail-smtp-in.l.googlemail.com")]
    public async Task Lookup_OfACustomDomainWithGoogleMx_GivesGoogle(string mxHost)
    {
        var result = await Service(new FakeMx(("sklep.example", mxHost))).LookupAsync("anna@sklep.example", PortPolicy.Default, false, new DetectionOptions(), CancellationToken.None);

        Assert.Equal(PresetSource.Mx, result.Source);
        Assert.Equal("smtp.gmail.com", result.Settings!.Host);
    }

    [Fact]
    public async Task Lookup_OfAnUnknownDomainWithoutDetection_FindsNothing_AndSaysSo()
    {
        var result = await Service(new FakeMx(("nieznana.example", "mx.nieznana.example"))).LookupAsync("a@nieznana.example", PortPolicy.Default, false, new DetectionOptions(), CancellationToken.None);

        Assert.Equal(PresetSource.None, result.Source);
        Assert.Null(result.Settings);
        Assert.Equal("presets.explain.unknownNoDetection", result.Explanations.Single().Code);
    }

    [Theory]
    [InlineData(null, "presets.emailRequired")]
    [InlineData("  ", "presets.emailRequired")]
    [InlineData("annanowak", "presets.emailInvalid")]
    [InlineData("anna@op.pl\r\nBcc: x@y.pl", "presets.emailInvalid")]
    public void CheckAddress_RefusesWhatIsNotAnAddress_NamingTheField(string? email, string code)
    {
        var issue = PresetLookupService.CheckAddress(email);

        Assert.NotNull(issue);
        Assert.Equal(("email", code), (issue.Field, issue.Code));
        Assert.NotEqual(issue.Message("en"), issue.Message("pl"));
    }

    [Fact]
    public void FindByMx_PrefersTheLongestSuffix_SoOutlookComIsNotTakenForMicrosoft365()
    {
        Assert.Equal("outlook", Catalog.FindByMx("eur.olc.protection.outlook.com")?.Key);
        Assert.Equal("microsoft365", Catalog.FindByMx("contoso-com.mail.protection.outlook.com")?.Key);
        Assert.Null(Catalog.FindByMx("mx.example.com"));
        Assert.Null(Catalog.FindByMx("notgoogle.com"));
    }

    [Fact]
    public void Load_RefusesABrokenCatalog_NamingEveryProblem()
    {
        const string json = """
            { "format": 1, "providers": [
              { "key": "a", "name": "A", "domains": ["a.pl"], "host": "smtp.a.pl", "port": 2525, "encryption": "sslTls", "authentication": "password" },
              { "key": "b", "name": "B", "domains": ["a.pl"], "host": "smtp b", "port": 465, "encryption": "sslTls", "authentication": "password",
                "notes": ["presets.note.nope"], "dailyLimit": 0 }
            ] }
            """;

        var error = Assert.Throws<ProviderCatalogException>(() => ProviderCatalog.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))));

        Assert.Contains(error.Problems, p => p.Contains("domain \"a.pl\""));
        Assert.Contains(error.Problems, p => p.StartsWith("provider \"a\": port"));
        Assert.Contains(error.Problems, p => p.StartsWith("provider \"b\": host"));
        Assert.Contains(error.Problems, p => p.Contains("presets.note.nope"));
        Assert.Contains(error.Problems, p => p.Contains("limits must be positive"));
    }

    [Fact]
    public void Load_RefusesUnknownFields()
    {
        const string json = """{ "format": 1, "providers": [ { "key": "a", "name": "A", "hots": "x", "host": "smtp.a.pl", "port": 465, "encryption": "sslTls", "authentication": "password" } ] }""";

        Assert.Throws<ProviderCatalogException>(() => ProviderCatalog.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))));
    }

    [Fact]
    public void IspdbImport_ReadsTheOutgoingServer_DomainsLoginFormatAndHelp()
    {
        const string xml = """
            <?xml version="1.0"?>
            <clientConfig version="1.1">
              <emailProvider id="example.pl">
                <domain>example.pl</domain>
                <domain>example.com.pl</domain>
                <displayName>Poczta Example</displayName>
                <incomingServer type="imap"><hostname>imap.example.pl</hostname><port>993</port><socketType>SSL</socketType>
                  <authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></incomingServer>
                <outgoingServer type="smtp"><hostname>smtp.example.pl</hostname><port>465</port><socketType>SSL</socketType>
                  <authentication>password-cleartext</authentication><username>%EMAILLOCALPART%</username></outgoingServer>
                <documentation url="https://pomoc.example.pl/konfiguracja"><descr lang="pl">Konfiguracja</descr></documentation>
              </emailProvider>
            </clientConfig>
            """;

        var entry = IspdbImporter.Import(xml);

        Assert.Equal(("example.pl", "Poczta Example", "smtp.example.pl", 465, EncryptionMode.SslTls, AuthenticationMethod.Password, LoginFormat.LocalPart),
            (entry.Key, entry.Name, entry.Host, entry.Port, entry.Encryption, entry.Authentication, entry.Login));
        Assert.Equal(["example.pl", "example.com.pl"], entry.Domains);
        Assert.Equal("https://pomoc.example.pl/konfiguracja", entry.HelpUrl);
        Assert.Equal("jan", entry.LoginFor("jan@example.pl"));
        Assert.Empty(ProviderCatalog.Check([entry]));
    }

    [Fact]
    public void IspdbImport_OfOffice365_TakesOAuth2_AndRefusesAFileThatIsNotIspdb()
    {
        const string xml = """
            <clientConfig version="1.1"><emailProvider id="office365.com"><domain>office365.com</domain><displayName>Microsoft 365</displayName>
              <outgoingServer type="smtp"><hostname>smtp.office365.com</hostname><port>587</port><socketType>STARTTLS</socketType>
                <authentication>OAuth2</authentication><username>%EMAILADDRESS%</username></outgoingServer>
            </emailProvider></clientConfig>
            """;

        var entry = IspdbImporter.Import(xml, key: "m365");

        Assert.Equal(("m365", EncryptionMode.StartTls, AuthenticationMethod.OAuth2Microsoft365), (entry.Key, entry.Encryption, entry.Authentication));
        Assert.Throws<ProviderCatalogException>(() => IspdbImporter.Import("<html/>"));
        Assert.Throws<ProviderCatalogException>(() => IspdbImporter.Import("not xml"));
    }

    private static PresetLookupService Service(IMxResolver mx) =>
        new(ProviderCatalog.Default, mx, new SmtpAutoDetector(new NoNames(), TimeProvider.System));

    /// <summary>MX answers from a table; other domains have none.</summary>
    internal sealed class FakeMx(params (string Domain, string Mx)[] records) : IMxResolver
    {
        public Task<IReadOnlyList<string>> ResolveMxAsync(string domain, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>(records.Where(r => r.Domain == domain).Select(r => r.Mx).ToList());
    }

    private sealed class NoNames : IHostResolver
    {
        public Task<IReadOnlyList<System.Net.IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
            throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound);
    }
}
