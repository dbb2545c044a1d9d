using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mailroom.Core.Settings.Validation;

/// <summary>How a typed host splits into a name and an optional port (Directo's <c>host:port</c>).</summary>
/// <param name="Name">The host without port and without IPv6 brackets.</param>
/// <param name="Port">The port after the colon, when one was typed and is a number.</param>
/// <param name="InvalidPortSuffix">The text after the colon when it is not a number; null otherwise.</param>
internal sealed record HostAndPort(string Name, int? Port, string? InvalidPortSuffix);

/// <summary>Small parsers for SMTP host names: DNS names (IDN allowed) and IP literals.</summary>
internal static class HostRules
{
    private const int MaxDnsNameLength = 253;
    private const int MaxLabelLength = 63;

    // Ports have at most five digits; longer digit runs are out of range and should be reported
    // as such, so they are kept (capped) rather than treated as text.
    private const int MaxPortDigits = 9;

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <summary>
    /// True when the host was typed as a URL (<c>smtp://smtp.wp.pl/</c>); <paramref name="withoutScheme"/>
    /// is then what the person should have typed (<c>smtp.wp.pl</c>), for the message.
    /// </summary>
    public static bool TryStripScheme(string host, out string withoutScheme)
    {
        var schemeEnd = host.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            withoutScheme = host;
            return false;
        }
        var rest = host[(schemeEnd + 3)..];
        var pathStart = rest.IndexOfAny(['/', '?', '#']);
        withoutScheme = pathStart < 0 ? rest : rest[..pathStart];
        return true;
    }

    /// <summary>
    /// Splits <c>name:port</c> and <c>[IPv6]:port</c>. A bare IPv6 address (several colons, no
    /// brackets) is not split, since its last group would otherwise be mistaken for a port.
    /// </summary>
    public static HostAndPort SplitPort(string host)
    {
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']');
            if (close < 0) return new HostAndPort(host, null, null);
            var inside = host[1..close];
            var after = host[(close + 1)..];
            if (after.Length == 0) return new HostAndPort(inside, null, null);
            if (after[0] != ':') return new HostAndPort(host, null, null);
            return WithPortText(inside, after[1..]);
        }

        var colon = host.IndexOf(':');
        if (colon < 0 || colon != host.LastIndexOf(':')) return new HostAndPort(host, null, null);
        return WithPortText(host[..colon], host[(colon + 1)..]);
    }

    private static HostAndPort WithPortText(string name, string portText)
    {
        var isNumber = portText.Length is > 0 and <= MaxPortDigits && portText.All(char.IsAsciiDigit);
        return isNumber
            ? new HostAndPort(name, int.Parse(portText, CultureInfo.InvariantCulture), null)
            : new HostAndPort(name, null, portText);
    }

    /// <summary>True for a DNS name (IDN allowed), a dotted IPv4 address or an IPv6 address.</summary>
    public static bool IsValidHost(string host) =>
        host.Contains(':') ? IsIPv6(host) : IsIPv4(host) || IsValidDnsName(host, requireDot: false);

    /// <summary>
    /// True when <paramref name="name"/> is a DNS name: labels of letters, digits and hyphens,
    /// 1–63 characters each, at most 253 in all, counted in the ASCII (punycode) form so that
    /// Unicode names such as <c>żółw.pl</c> are held to the limits DNS really applies.
    /// </summary>
    public static bool IsValidDnsName(string name, bool requireDot) => TryGetAsciiDnsName(name, requireDot, out _);

    /// <summary>Like <see cref="IsValidDnsName"/>, also giving the ASCII (punycode) form.</summary>
    public static bool TryGetAsciiDnsName(string name, bool requireDot, out string ascii)
    {
        ascii = "";
        if (name.EndsWith('.')) name = name[..^1]; // a fully qualified name may end in a dot
        if (name.Length == 0) return false;

        try
        {
            ascii = Idn.GetAscii(name);
        }
        catch (ArgumentException)
        {
            return false;
        }

        if (ascii.Length > MaxDnsNameLength) return false;
        var labels = ascii.Split('.');
        if (requireDot && labels.Length < 2) return false;
        if (!labels.All(IsValidLabel)) return false;

        // "999.1.1.1" is no IPv4 address, and no real top-level domain is all digits.
        return !labels[^1].All(char.IsAsciiDigit);
    }

    private static bool IsValidLabel(string label) =>
        label.Length is > 0 and <= MaxLabelLength
        && label[0] != '-'
        && label[^1] != '-'
        && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>Strict dotted-quad IPv4 (IPAddress.TryParse would also take "1" or "1.2").</summary>
    public static bool IsIPv4(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(part =>
            part.Length is > 0 and <= 3
            && part.All(char.IsAsciiDigit)
            && int.Parse(part, CultureInfo.InvariantCulture) <= 255);
    }

    /// <summary>An IPv6 address in text form.</summary>
    public static bool IsIPv6(string text) =>
        IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>smtp.gmail.com or smtp.googlemail.com, where Google wants an app password.</summary>
    public static bool IsGmail(string? host) =>
        host is not null && NormalizeForComparison(host) is "smtp.gmail.com" or "smtp.googlemail.com";

    /// <summary>Microsoft 365's SMTP endpoints (smtp.office365.com, smtp-mail.outlook.com, *.office365.com).</summary>
    public static bool IsMicrosoft365(string? host)
    {
        if (host is null) return false;
        var name = NormalizeForComparison(host);
        return name is "smtp.office365.com" or "smtp-mail.outlook.com" or "office365.com"
            || name.EndsWith(".office365.com", StringComparison.Ordinal);
    }

    private static string NormalizeForComparison(string host) => host.TrimEnd('.').ToLowerInvariant();
}
