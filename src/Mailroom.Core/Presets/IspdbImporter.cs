using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Mailroom.Core.Settings;

namespace Mailroom.Core.Presets;

/// <summary>
/// Turns a Thunderbird autoconfig file (ISPDB <c>config-v1.1.xml</c>) into a catalog entry: the
/// provider's domains and its first SMTP server whose authentication Mailroom can use.
/// Only the outgoing server is read; incoming servers do not concern Mailroom.
/// </summary>
public static class IspdbImporter
{
    /// <summary>Reads one <c>clientConfig</c> document.</summary>
    /// <param name="xml">The file's text.</param>
    /// <param name="key">The key to give the entry; defaults to the provider's id.</param>
    /// <exception cref="ProviderCatalogException">Not an ISPDB file, or no SMTP server Mailroom can use.</exception>
    public static ProviderEntry Import(string xml, string? key = null)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(xml, LoadOptions.None);
        }
        catch (XmlException error)
        {
            throw new ProviderCatalogException([$"not XML: {error.Message}"]);
        }
        var provider = document.Root?.Element("emailProvider");
        if (document.Root?.Name != "clientConfig" || provider is null)
            throw new ProviderCatalogException(["not a Thunderbird clientConfig file (no <clientConfig><emailProvider>)"]);

        var id = (string?)provider.Attribute("id") ?? "";
        var servers = provider.Elements("outgoingServer").Where(s => (string?)s.Attribute("type") == "smtp").ToList();
        var usable = servers.Select(Read).Where(s => s is not null).Select(s => s!.Value).ToList();
        if (usable.Count == 0)
            throw new ProviderCatalogException([$"{id}: no SMTP server with password or OAuth2 authentication"]);
        var best = usable[0];

        return new ProviderEntry
        {
            Key = key ?? id,
            Name = provider.Element("displayName")?.Value.Trim() is { Length: > 0 } name ? name : id,
            Domains = provider.Elements("domain").Select(d => d.Value.Trim().ToLowerInvariant()).Where(d => d.Length > 0).Distinct().ToList(),
            Host = best.Host,
            Port = best.Port,
            Encryption = best.Encryption,
            Authentication = best.Authentication,
            AuthenticationMethods = usable.Select(s => s.Authentication).Distinct().ToList(),
            Login = best.Login,
            HelpUrl = provider.Elements("documentation").Select(d => (string?)d.Attribute("url"))
                .FirstOrDefault(url => url is not null && url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)),
        };
    }

    private static (string Host, int Port, EncryptionMode Encryption, AuthenticationMethod Authentication, LoginFormat Login)? Read(XElement server)
    {
        var host = server.Element("hostname")?.Value.Trim();
        if (string.IsNullOrEmpty(host) || !int.TryParse(server.Element("port")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            return null;
        EncryptionMode? encryption = server.Element("socketType")?.Value.Trim() switch
        {
            "SSL" => EncryptionMode.SslTls,
            "STARTTLS" => EncryptionMode.StartTls,
            "plain" => EncryptionMode.None,
            _ => null,
        };
        var methods = server.Elements("authentication").Select(a => a.Value.Trim()).ToList();
        // password-cleartext means "the password, inside TLS" in ISPDB; OAuth2 is offered where Mailroom can use it
        AuthenticationMethod? authentication =
            methods.Contains("password-cleartext") || methods.Contains("password-encrypted") ? AuthenticationMethod.Password
            : methods.Contains("OAuth2") && host.EndsWith("office365.com", StringComparison.OrdinalIgnoreCase) ? AuthenticationMethod.OAuth2Microsoft365
            : methods.Contains("OAuth2") && host.EndsWith("gmail.com", StringComparison.OrdinalIgnoreCase) ? AuthenticationMethod.OAuth2Google
            : methods.Contains("none") ? AuthenticationMethod.None
            : null;
        if (encryption is null || authentication is null) return null;
        var login = server.Element("username")?.Value.Trim() == "%EMAILLOCALPART%" ? LoginFormat.LocalPart : LoginFormat.FullAddress;
        return (host.ToLowerInvariant(), port, encryption.Value, authentication.Value, login);
    }
}
