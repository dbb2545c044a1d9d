using System.Net;
using System.Net.Sockets;
using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Core.Presets;
using Mailroom.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Mailroom.Server.Tests;

/// <summary>GET /api/presets and /api/presets/lookup: catalog, MX hint and detection through the HTTP API.</summary>
public class PresetsApiTests
{
    [Fact]
    public async Task Lookup_OfTheOnetSeedAddress_GivesTheSeedsSettings_ExplainedInPolish()
    {
        using var factory = new MailroomServerFactory();

        var response = await factory.Admin("pl").GetAsync("/api/presets/lookup?email=annanowak%40op.pl");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.ReadJsonAsync();
        Assert.Equal("catalog", (string?)body["source"]);
        Assert.Equal("onet", (string?)body["provider"]!["key"]);
        var settings = body["settings"]!;
        Assert.Equal(("smtp.poczta.onet.pl", 465, "sslTls", "password", "annanowak@op.pl"),
            ((string?)settings["host"], (int)settings["port"]!, (string?)settings["encryption"], (string?)settings["authentication"], (string?)settings["login"]));
        Assert.StartsWith("op.pl należy do dostawcy Onet Poczta", (string?)body["explanation"]![0]);
        Assert.Null(body["detection"]);
    }

    [Fact]
    public async Task Lookup_OfACustomDomainWithMicrosoft365Mx_GivesMicrosoft365()
    {
        using var factory = new MailroomServerFactory(withBootstrapKey: true, builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<IMxResolver>(new TableMx(("biuro.example", "biuro-example.mail.protection.outlook.com")))));

        var body = await (await factory.Admin().GetAsync("/api/presets/lookup?email=jan%40biuro.example&detect=false")).ReadJsonAsync();

        Assert.Equal("mx", (string?)body["source"]);
        Assert.Equal(("smtp.office365.com", "oauth2Microsoft365"), ((string?)body["settings"]!["host"], (string?)body["settings"]!["authentication"]));
        Assert.Equal("biuro-example.mail.protection.outlook.com", (string?)body["mxHosts"]![0]);
    }

    [Theory]
    [InlineData("", "Wpisz adres e-mail")]
    [InlineData("?email=annanowak", "nie jest adresem e-mail")]
    [InlineData("?email=a%40b.pl&certificateSha256=xyz", "certificateSha256")]
    public async Task Lookup_WithBadInput_Is400_NamingTheField(string query, string polishWords)
    {
        using var factory = new MailroomServerFactory();

        var response = await factory.Admin("pl").GetAsync("/api/presets/lookup" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Contains(polishWords, body["errors"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public async Task PresetsAndLookup_NeedAnApiKey_AndTheUiLookupNeedsASession()
    {
        using var factory = new MailroomServerFactory();
        var anonymous = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/presets/lookup?email=a%40op.pl")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/presets")).StatusCode);
        var ui = await anonymous.GetAsync("/ui/presets/lookup?email=a%40op.pl");
        Assert.Equal(HttpStatusCode.Redirect, ui.StatusCode);
        Assert.Contains("/signin", ui.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Catalog_ListsEveryProvider_WithNotesInTheCallersLanguage()
    {
        using var factory = new MailroomServerFactory();

        var body = (await (await factory.Admin("pl").GetAsync("/api/presets")).ReadJsonAsync()).AsArray();

        Assert.Equal(ProviderCatalog.Default.Providers.Count, body.Count);
        var gmail = body.Single(p => (string?)p!["key"] == "gmail")!;
        Assert.Equal(16, (int)gmail["appPassword"]!["length"]!);
        Assert.Contains("hasła do aplikacji", (string?)gmail["notes"]![0]);
    }

    [MailTestbedFact]
    public async Task Lookup_OfAnUnknownDomain_DetectsTheTestBed_WithThePinnedCertificate()
    {
        var bed = MailTestbed.Instance;
        const string domain = "nieznana-firma.test";
        using var factory = new MailroomServerFactory(withBootstrapKey: true, builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IMxResolver>(new TableMx());
            services.AddSingleton<IHostResolver>(new NamesAt(IPAddress.Parse(bed.StandardPortsAddress), $"smtp.{domain}", $"mail.{domain}", domain));
        }));

        var response = await factory.Admin().GetAsync($"/api/presets/lookup?email=jan%40{domain}&certificateSha256={bed.CertificateSha256}");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.ReadJsonAsync();
        Assert.Equal("detection", (string?)body["source"]);
        Assert.Equal(($"smtp.{domain}", 465, "sslTls", "password", $"jan@{domain}"),
            ((string?)body["settings"]!["host"], (int)body["settings"]!["port"]!, (string?)body["settings"]!["encryption"],
             (string?)body["settings"]!["authentication"], (string?)body["settings"]!["login"]));
        var candidates = body["detection"]!["candidates"]!.AsArray();
        Assert.Equal(15, candidates.Count);
        Assert.Equal("pinnedFingerprint", (string?)candidates[0]!["certificateTrust"]);
        Assert.Contains("smtp.nieznana-firma.test:465", (string?)body["explanation"]![0]);
    }

    private sealed class TableMx(params (string Domain, string Mx)[] records) : IMxResolver
    {
        public Task<IReadOnlyList<string>> ResolveMxAsync(string domain, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>(records.Where(r => r.Domain == domain).Select(r => r.Mx).ToList());
    }

    private sealed class NamesAt(IPAddress address, params string[] names) : IHostResolver
    {
        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
            names.Contains(host, StringComparer.OrdinalIgnoreCase)
                ? Task.FromResult<IReadOnlyList<IPAddress>>([address])
                : throw new SocketException((int)SocketError.HostNotFound);
    }
}
