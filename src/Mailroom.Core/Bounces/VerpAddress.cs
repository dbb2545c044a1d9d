namespace Mailroom.Core.Bounces;

/// <summary>
/// The per-message envelope sender (VERP): <c>&lt;local part&gt;+&lt;queue id&gt;@&lt;bounce domain&gt;</c>.
/// A bounce sent to it names the message by its address alone, whatever the remote server wrote.
/// </summary>
public static class VerpAddress
{
    /// <summary>The envelope sender for queue message <paramref name="messageId"/>.</summary>
    public static string For(string localPart, string messageId, string domain) => $"{localPart}+{Safe(messageId)}@{domain}";

    /// <summary>The queue id inside <paramref name="address"/> when it is a VERP address of <paramref name="localPart"/>@<paramref name="domain"/> (case-insensitive); otherwise null.</summary>
    public static string? TryRead(string? address, string localPart, string domain)
    {
        if (string.IsNullOrWhiteSpace(address)) return null;
        var text = address.Trim().Trim('<', '>');
        var at = text.LastIndexOf('@');
        if (at <= 0 || !string.Equals(text[(at + 1)..], domain, StringComparison.OrdinalIgnoreCase)) return null;
        var local = text[..at];
        var prefix = localPart + "+";
        if (!local.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || local.Length == prefix.Length) return null;
        var id = local[prefix.Length..];
        return id.All(IsIdCharacter) ? id : null;
    }

    private static bool IsIdCharacter(char ch) => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.';

    // Queue ids are hexadecimal; anything else is replaced so the address stays a valid local part.
    private static string Safe(string messageId) => string.Concat(messageId.Select(ch => IsIdCharacter(ch) ? ch : '-'));
}
