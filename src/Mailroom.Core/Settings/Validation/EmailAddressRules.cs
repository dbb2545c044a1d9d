namespace Mailroom.Core.Settings.Validation;

/// <summary>What is wrong with a typed address, if anything.</summary>
internal enum AddressProblem
{
    None,
    Invalid,
    LocalPartTooLong,
    TooLong,

    /// <summary>Typed as <c>"Name" &lt;address&gt;</c>; the address inside is valid.</summary>
    NameForm,
}

/// <summary>The verdict on one typed address.</summary>
/// <param name="Problem">What is wrong, or <see cref="AddressProblem.None"/>.</param>
/// <param name="Name">For <see cref="AddressProblem.NameForm"/>: the display name, unquoted (may be empty).</param>
/// <param name="BareAddress">For <see cref="AddressProblem.NameForm"/>: the address inside the angle brackets.</param>
internal sealed record AddressCheck(AddressProblem Problem, string? Name = null, string? BareAddress = null);

/// <summary>
/// A small RFC 5322 addr-spec reader: a dot-atom or quoted local part, <c>@</c>, and a domain
/// that is a DNS name with at least one dot (Unicode allowed, checked through IDNA) or an
/// address literal (<c>[192.0.2.1]</c>, <c>[IPv6:2001:db8::1]</c>). Comments, folding white
/// space and obsolete forms are refused: a settings field holds one plain address.
/// </summary>
public static class EmailAddressRules
{
    /// <summary>True when <paramref name="text"/> is one plain, valid address (no display name).</summary>
    public static bool IsValidAddress(string text) => Check(text).Problem == AddressProblem.None;

    /// <summary>RFC 5321 limit for the part before @.</summary>
    public const int MaxLocalPartLength = 64;

    /// <summary>RFC 5321 limit for a whole forward path, less the angle brackets.</summary>
    public const int MaxAddressLength = 254;

    // RFC 5322 atext besides letters and digits.
    private const string AtomSpecials = "!#$%&'*+-/=?^_`{|}~";

    /// <summary>Checks one address as typed (already trimmed).</summary>
    internal static AddressCheck Check(string text)
    {
        var problem = CheckAddrSpec(text);
        if (problem == AddressProblem.Invalid && TrySplitNameForm(text, out var name, out var bare)
            && CheckAddrSpec(bare) == AddressProblem.None)
        {
            return new AddressCheck(AddressProblem.NameForm, name, bare);
        }
        return new AddressCheck(problem);
    }

    /// <summary>
    /// Splits a list typed with commas or semicolons into trimmed, non-empty entries. Separators
    /// inside a quoted local part (<c>"a,b"@x.pl</c>) do not split.
    /// </summary>
    internal static IReadOnlyList<string> SplitList(string text)
    {
        var entries = new List<string>();
        var start = 0;
        var inQuotes = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes && c == '\\') i++; // skip the escaped character
            else if (c == '"') inQuotes = !inQuotes;
            else if (!inQuotes && c is ',' or ';')
            {
                entries.Add(text[start..i]);
                start = i + 1;
            }
        }
        entries.Add(text[start..]);
        return entries.Select(e => e.Trim()).Where(e => e.Length > 0).ToArray();
    }

    private static AddressProblem CheckAddrSpec(string text)
    {
        if (!TrySplitAtSign(text, out var local, out var domain)) return AddressProblem.Invalid;
        if (!IsDotAtom(local) && !IsQuotedString(local)) return AddressProblem.Invalid;
        if (!TryGetAsciiDomain(domain, out var asciiDomain)) return AddressProblem.Invalid;
        if (local.Length > MaxLocalPartLength) return AddressProblem.LocalPartTooLong;
        if (local.Length + 1 + asciiDomain.Length > MaxAddressLength) return AddressProblem.TooLong;
        return AddressProblem.None;
    }

    // A quoted local part may itself contain @, so the split point is after the closing quote.
    private static bool TrySplitAtSign(string text, out string local, out string domain)
    {
        local = domain = "";
        int at;
        if (text.StartsWith('"'))
        {
            var close = FindClosingQuote(text);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != '@') return false;
            at = close + 1;
        }
        else
        {
            at = text.IndexOf('@');
            if (at < 0) return false;
        }
        local = text[..at];
        domain = text[(at + 1)..];
        return local.Length > 0 && domain.Length > 0;
    }

    private static int FindClosingQuote(string text)
    {
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == '\\') i++;
            else if (text[i] == '"') return i;
        }
        return -1;
    }

    private static bool IsDotAtom(string local) =>
        local.Split('.').All(atom => atom.Length > 0 && atom.All(IsAtomChar));

    private static bool IsAtomChar(char c) => char.IsAsciiLetterOrDigit(c) || AtomSpecials.Contains(c);

    // "…" with printable ASCII or space inside; \ escapes the next printable character.
    private static bool IsQuotedString(string local)
    {
        if (local.Length < 2 || local[0] != '"' || local[^1] != '"') return false;
        for (var i = 1; i < local.Length - 1; i++)
        {
            var c = local[i];
            if (c == '\\')
            {
                i++;
                if (i >= local.Length - 1 || !IsPrintableAsciiOrSpace(local[i])) return false;
            }
            else if (c == '"' || !IsPrintableAsciiOrSpace(c)) return false;
        }
        return true;
    }

    private static bool IsPrintableAsciiOrSpace(char c) => c is >= ' ' and <= '~';

    private static bool TryGetAsciiDomain(string domain, out string ascii)
    {
        ascii = domain;
        if (domain.StartsWith('[') && domain.EndsWith(']'))
        {
            var literal = domain[1..^1];
            const string ipv6Tag = "IPv6:";
            return literal.StartsWith(ipv6Tag, StringComparison.OrdinalIgnoreCase)
                ? HostRules.IsIPv6(literal[ipv6Tag.Length..])
                : HostRules.IsIPv4(literal);
        }
        // A trailing dot is fine for a server name but not in an address.
        return !domain.EndsWith('.') && HostRules.TryGetAsciiDnsName(domain, requireDot: true, out ascii);
    }

    // "Jan Kowalski" <jan@x.pl>  or  Jan Kowalski <jan@x.pl>  or  <jan@x.pl>
    private static bool TrySplitNameForm(string text, out string name, out string address)
    {
        name = address = "";
        var open = text.LastIndexOf('<');
        if (open < 0 || !text.EndsWith('>')) return false;
        address = text[(open + 1)..^1].Trim();
        name = text[..open].Trim();
        if (name.Length >= 2 && name[0] == '"' && name[^1] == '"') name = name[1..^1].Trim();
        return true;
    }
}
