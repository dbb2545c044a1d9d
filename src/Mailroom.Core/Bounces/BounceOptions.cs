namespace Mailroom.Core.Bounces;

/// <summary>The deployment's bounce domain: where VERP envelope senders point (<c>Mailroom:Bounces</c>).</summary>
public sealed record BounceAddressOptions
{
    /// <summary>The domain the deployment receives bounces on; VERP is off while it is empty.</summary>
    public string? Domain { get; init; }

    /// <summary>The local part before <c>+&lt;message id&gt;</c>; "bounces" by default.</summary>
    public string LocalPart { get; init; } = "bounces";

    /// <summary>True when Mailroom owns a bounce domain, so the envelope sender may be a VERP address.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Domain);

    /// <summary>The envelope sender for <paramref name="messageId"/>.</summary>
    public string EnvelopeSenderFor(string messageId) => VerpAddress.For(LocalPart, messageId, Domain!);

    /// <summary>
    /// True when <paramref name="domain"/> (trimmed) may be the bounce domain: a DNS name by the rule
    /// every host name in Mailroom meets (<see cref="Settings.Validation.HostRules"/>: labels of
    /// letters, digits and hyphens, 1–63 characters, not starting or ending with a hyphen; IDN
    /// allowed) with at least one dot and a top-level label that is not all digits.
    /// </summary>
    public static bool IsValidDomain(string? domain) =>
        !string.IsNullOrWhiteSpace(domain) && Settings.Validation.HostRules.IsValidDnsName(domain.Trim(), requireDot: true);

    /// <summary>
    /// <paramref name="domain"/> as it goes on the wire: ASCII (punycode for an international name, which an
    /// envelope sender without SMTPUTF8 needs), lower case, without a final dot; null when empty.
    /// </summary>
    public static string? WireDomain(string? domain)
    {
        if (string.IsNullOrWhiteSpace(domain)) return null;
        var trimmed = domain.Trim();
        // An invalid name never gets here (options validation stops the host); kept as typed if it does.
        return Settings.Validation.HostRules.TryGetAsciiDnsName(trimmed, requireDot: true, out var ascii) ? ascii.ToLowerInvariant() : trimmed;
    }

    /// <summary>The queue id in <paramref name="address"/>, when it is one of this deployment's VERP addresses.</summary>
    public string? ReadMessageId(string? address) => IsConfigured ? VerpAddress.TryRead(address, LocalPart, Domain!) : null;
}
