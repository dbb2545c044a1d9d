using System.Globalization;

namespace Mailroom.Core.Settings.Validation;

/// <summary>
/// Checks a submitted sender profile field by field and normalises it (trimmed, <c>host:port</c>
/// split, Gmail app-password spaces removed). Every problem of every field is reported in one
/// pass; warnings (e.g. SSL/TLS on port 587) do not stop the save.
/// </summary>
public static class SenderProfileValidator
{
    /// <summary>Every code <see cref="Validate"/> can report (see <see cref="ValidationCodes"/>).</summary>
    public static IReadOnlyList<string> Codes => ValidationCodes.All;

    /// <summary>The longest text each free-text field accepts.</summary>
    public static IReadOnlyDictionary<string, int> MaxLengths { get; } = new Dictionary<string, int>
    {
        [SenderField.AccountName] = 100,
        [SenderField.DisplayName] = 200,
        [SenderField.Description] = 2000,
        [SenderField.Signature] = 10000,
        [SenderField.Host] = 253,
        [SenderField.Login] = 320,
        [SenderField.Password] = 1024,
    };

    private const int ImplicitTlsPort = 465;
    private static readonly int[] StartTlsPorts = [25, 587];
    private const int GmailAppPasswordLength = 16;

    /// <summary>Validates <paramref name="input"/> for the profile described by <paramref name="context"/>.</summary>
    /// <param name="input">The profile as submitted.</param>
    /// <param name="context">Port policy, scope, shared sender and what is already stored.</param>
    /// <returns>The normalised input and every issue found; <see cref="ValidationResult.IsValid"/> when no error.</returns>
    /// <exception cref="ArgumentNullException">When an argument is null.</exception>
    public static ValidationResult Validate(SenderProfileInput input, ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);

        var issues = new IssueList();
        CheckControlCharacters(input, issues);

        var trimmed = Trim(input);
        CheckSharedSender(trimmed, context, issues);

        var (normalized, portTypedInHost) = NormalizeHostAndPassword(trimmed, issues, context);
        CheckLengths(normalized, issues);
        CheckServerType(normalized, issues);
        CheckHost(normalized, issues);
        CheckPort(normalized, context.PortPolicy, portTypedInHost, issues);
        CheckEncryptionMatchesPort(normalized, issues);
        CheckAddresses(normalized, issues);
        CheckAuthentication(normalized, context, issues);
        normalized = CheckDeliveryLimits(normalized, issues);

        return new ValidationResult(normalized, issues.ToList());
    }

    // ---- certificate pin and rate limits ----------------------------------------------------

    /// <summary>The highest rate limit accepted: a sanity bound, far above any provider's cap.</summary>
    public const int MaxRateLimit = 1_000_000;

    // A pin is typed as openssl prints it (AB:CD:…) or as plain hex; stored as 64 lower-case hex digits.
    private static SenderProfileInput CheckDeliveryLimits(SenderProfileInput input, IssueList issues)
    {
        var pin = input.CertificateSha256;
        if (pin is not null && !issues.IsRefused(SenderField.CertificateSha256))
        {
            var hex = string.Concat(pin.Where(c => c is not (':' or ' ' or '-'))).ToLowerInvariant();
            if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
                issues.Refuse(SenderField.CertificateSha256, ValidationCodes.CertificateSha256Invalid);
            else
                pin = hex;
        }
        foreach (var (field, value) in new[] { (SenderField.RateLimitPerMinute, input.RateLimitPerMinute), (SenderField.RateLimitPerDay, input.RateLimitPerDay) })
        {
            if (value is { } limit && (limit < 1 || limit > MaxRateLimit) && !issues.IsRefused(field))
                issues.Refuse(field, ValidationCodes.RateLimitOutOfRange, ("max", MaxRateLimit));
        }
        return input with { CertificateSha256 = pin };
    }

    // ---- rule 2: header injection ---------------------------------------------------------

    // Checked on the raw input: trimming would hide a trailing CR/LF, and such a value is a bug
    // or an attack either way.
    private static void CheckControlCharacters(SenderProfileInput input, IssueList issues)
    {
        (string Field, string? Value)[] headerBound =
        [
            (SenderField.AccountName, input.AccountName), (SenderField.FromAddress, input.FromAddress),
            (SenderField.DisplayName, input.DisplayName), (SenderField.ReplyTo, input.ReplyTo),
            (SenderField.Host, input.Host), (SenderField.Login, input.Login),
            (SenderField.Bcc, input.Bcc), (SenderField.Password, input.Password),
        ];
        foreach (var (field, value) in headerBound)
        {
            if (value is not null && value.Any(IsControlCharacter))
                issues.Refuse(field, ValidationCodes.HeaderControlCharacters);
        }

        (string Field, string? Value)[] multiLine =
        [
            (SenderField.Description, input.Description), (SenderField.Signature, input.Signature),
        ];
        foreach (var (field, value) in multiLine)
        {
            if (value is not null && value.Any(c => c is not ('\r' or '\n' or '\t') && IsControlCharacter(c)))
                issues.Refuse(field, ValidationCodes.TextControlCharacters);
        }
    }

    // Cc covers NUL, CR, LF, TAB, DEL and the C1 range (incl. U+0085 NEL); U+2028/2029 are the
    // Unicode line and paragraph separators, which some software also treats as line breaks.
    private static bool IsControlCharacter(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    // ---- rule 1: normalisation ------------------------------------------------------------

    // Whitespace-only counts as "not set". The password is left exactly as typed: spaces may be
    // part of it, and "" is its "remove" signal.
    private static SenderProfileInput Trim(SenderProfileInput input) => input with
    {
        AccountName = Clean(input.AccountName),
        FromAddress = Clean(input.FromAddress),
        DisplayName = Clean(input.DisplayName),
        ReplyTo = Clean(input.ReplyTo),
        Description = Clean(input.Description),
        ServerType = Clean(input.ServerType),
        Host = Clean(input.Host),
        Login = Clean(input.Login),
        Bcc = Clean(input.Bcc),
        Signature = Clean(input.Signature),
        CertificateSha256 = Clean(input.CertificateSha256),
    };

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static (SenderProfileInput Normalized, bool PortTypedInHost) NormalizeHostAndPassword(
        SenderProfileInput input, IssueList issues, ValidationContext context)
    {
        var host = input.Host;
        var port = input.Port;
        var portTypedInHost = false;

        if (host is not null && !issues.IsRefused(SenderField.Host))
        {
            if (HostRules.TryStripScheme(host, out var withoutScheme))
            {
                var suggestion = HostRules.SplitPort(withoutScheme).Name;
                issues.Refuse(SenderField.Host, ValidationCodes.HostHasScheme, ("suggestion", suggestion));
            }
            else
            {
                var split = HostRules.SplitPort(host);
                host = split.Name;
                if (split.InvalidPortSuffix is not null)
                {
                    issues.Refuse(SenderField.Host, ValidationCodes.HostInvalidPortSuffix, ("suffix", split.InvalidPortSuffix));
                }
                else if (split.Port is int hostPort)
                {
                    if (port is int fieldPort && fieldPort != hostPort)
                    {
                        issues.Error(SenderField.Host, ValidationCodes.HostPortConflict, ("hostPort", hostPort), ("port", fieldPort));
                    }
                    else
                    {
                        port = hostPort;
                        portTypedInHost = input.Port is null;
                    }
                }
            }
        }

        var password = input.Password;
        if (password is { Length: > 0 } && string.IsNullOrWhiteSpace(password) && !issues.IsRefused(SenderField.Password))
        {
            issues.Refuse(SenderField.Password, ValidationCodes.PasswordBlank);
        }
        else if (password is { Length: > 0 } && HostRules.IsGmail(host ?? (context.Scope == ProfileScopeKind.User ? context.InheritedHost : null)))
        {
            // Google shows app passwords as four groups of four letters; people paste the spaces.
            password = string.Concat(password.Where(c => !char.IsWhiteSpace(c)));
        }

        var serverType = input.ServerType;
        if (string.Equals(serverType, ServerType.Smtp, StringComparison.OrdinalIgnoreCase)) serverType = ServerType.Smtp;

        var normalized = input with { Host = host, Port = port, Password = password, ServerType = serverType };
        return (normalized, portTypedInHost);
    }

    // ---- rule 9: shared sender ------------------------------------------------------------

    private static void CheckSharedSender(SenderProfileInput input, ValidationContext context, IssueList issues)
    {
        if (!context.SharedSenderActive) return;
        foreach (var field in SetFields(input))
        {
            if (!SenderField.OverridableUnderSharedSender.Contains(field) && !issues.IsRefused(field))
                issues.Refuse(field, ValidationCodes.SharedSenderOnlyCredentials);
        }
    }

    private static IEnumerable<string> SetFields(SenderProfileInput input)
    {
        if (input.Enabled is not null) yield return SenderField.Enabled;
        if (input.AccountName is not null) yield return SenderField.AccountName;
        if (input.FromAddress is not null) yield return SenderField.FromAddress;
        if (input.DisplayName is not null) yield return SenderField.DisplayName;
        if (input.ReplyTo is not null) yield return SenderField.ReplyTo;
        if (input.Description is not null) yield return SenderField.Description;
        if (input.ServerType is not null) yield return SenderField.ServerType;
        if (input.Host is not null) yield return SenderField.Host;
        if (input.Port is not null) yield return SenderField.Port;
        if (input.Encryption is not null) yield return SenderField.Encryption;
        if (input.Authentication is not null) yield return SenderField.Authentication;
        if (input.Login is not null) yield return SenderField.Login;
        if (input.Password is not null) yield return SenderField.Password;
        if (input.Bcc is not null) yield return SenderField.Bcc;
        if (input.Signature is not null) yield return SenderField.Signature;
        if (input.SenderMode is not null) yield return SenderField.SenderMode;
        if (input.CertificateSha256 is not null) yield return SenderField.CertificateSha256;
        if (input.RateLimitPerMinute is not null) yield return SenderField.RateLimitPerMinute;
        if (input.RateLimitPerDay is not null) yield return SenderField.RateLimitPerDay;
    }

    // ---- rule 8: lengths ------------------------------------------------------------------

    private static void CheckLengths(SenderProfileInput input, IssueList issues)
    {
        (string Field, string? Value)[] texts =
        [
            (SenderField.AccountName, input.AccountName), (SenderField.DisplayName, input.DisplayName),
            (SenderField.Description, input.Description), (SenderField.Signature, input.Signature),
            (SenderField.Host, input.Host), (SenderField.Login, input.Login), (SenderField.Password, input.Password),
        ];
        foreach (var (field, value) in texts)
        {
            var max = MaxLengths[field];
            if (value is not null && value.Length > max && !issues.IsRefused(field))
                issues.Refuse(field, ValidationCodes.FieldTooLong, ("max", max));
        }
    }

    // ---- rule 4: server type --------------------------------------------------------------

    private static void CheckServerType(SenderProfileInput input, IssueList issues)
    {
        if (input.ServerType is { } value && value != ServerType.Smtp && !issues.IsRefused(SenderField.ServerType))
            issues.Error(SenderField.ServerType, ValidationCodes.ServerTypeNotSmtp, ("value", value));
    }

    // ---- rule 5: host ---------------------------------------------------------------------

    private static void CheckHost(SenderProfileInput input, IssueList issues)
    {
        if (input.Host is not { } host || issues.IsRefused(SenderField.Host)) return;
        if (host.Any(char.IsWhiteSpace))
            issues.Error(SenderField.Host, ValidationCodes.HostContainsSpaces);
        else if (!HostRules.IsValidHost(host))
            issues.Error(SenderField.Host, ValidationCodes.HostInvalid, ("host", host));
    }

    // ---- rule 6: port and encryption ------------------------------------------------------

    private static void CheckPort(SenderProfileInput input, PortPolicy policy, bool portTypedInHost, IssueList issues)
    {
        if (input.Port is not int port || issues.IsRefused(SenderField.Port)) return;

        // A port typed as host:port is reported at the host, where the person typed it.
        var field = portTypedInHost ? SenderField.Host : SenderField.Port;
        if (port is < 1 or > 65535)
        {
            issues.Error(field, ValidationCodes.PortOutOfRange, ("port", port));
        }
        else if (!policy.Allows(port))
        {
            var allowed = string.Join(", ", policy.AllowedPorts.Select(p => p.ToString(CultureInfo.InvariantCulture)));
            issues.Error(field, ValidationCodes.PortNotAllowed, ("port", port), ("allowedPorts", allowed));
        }
    }

    private static void CheckEncryptionMatchesPort(SenderProfileInput input, IssueList issues)
    {
        if (input.Port is not int port || input.Encryption is not { } encryption) return;
        if (issues.IsRefused(SenderField.Encryption) || issues.IsRefused(SenderField.Port)) return;

        var code = encryption switch
        {
            EncryptionMode.SslTls when StartTlsPorts.Contains(port) => ValidationCodes.EncryptionSslTlsOnStartTlsPort,
            EncryptionMode.StartTls when port == ImplicitTlsPort => ValidationCodes.EncryptionStartTlsOnImplicitTlsPort,
            EncryptionMode.None when port == ImplicitTlsPort => ValidationCodes.EncryptionNoneOnImplicitTlsPort,
            _ => null,
        };
        if (code is not null) issues.Warning(SenderField.Encryption, code, ("port", port));
    }

    // ---- rule 3: addresses ----------------------------------------------------------------

    private static void CheckAddresses(SenderProfileInput input, IssueList issues)
    {
        CheckSingleAddress(SenderField.FromAddress, input.FromAddress, issues);
        CheckSingleAddress(SenderField.ReplyTo, input.ReplyTo, issues);

        if (input.Bcc is { } bcc && !issues.IsRefused(SenderField.Bcc))
        {
            foreach (var address in EmailAddressRules.SplitList(bcc))
                ReportAddress(SenderField.Bcc, address, EmailAddressRules.Check(address), issues);
        }
    }

    private static void CheckSingleAddress(string field, string? address, IssueList issues)
    {
        if (address is null || issues.IsRefused(field)) return;
        ReportAddress(field, address, EmailAddressRules.Check(address), issues);
    }

    private static void ReportAddress(string field, string address, AddressCheck check, IssueList issues)
    {
        switch (check.Problem)
        {
            case AddressProblem.None:
                break;
            case AddressProblem.NameForm when field == SenderField.FromAddress && !string.IsNullOrEmpty(check.Name):
                issues.Error(field, ValidationCodes.FromAddressNameForm, ("name", check.Name), ("address", check.BareAddress));
                break;
            case AddressProblem.NameForm:
                issues.Error(field, ValidationCodes.AddressNameForm, ("address", check.BareAddress));
                break;
            case AddressProblem.LocalPartTooLong:
                issues.Error(field, ValidationCodes.AddressLocalPartTooLong, ("address", address), ("max", EmailAddressRules.MaxLocalPartLength));
                break;
            case AddressProblem.TooLong:
                issues.Error(field, ValidationCodes.AddressTooLong, ("address", address), ("max", EmailAddressRules.MaxAddressLength));
                break;
            default:
                issues.Error(field, ValidationCodes.AddressInvalid, ("address", address));
                break;
        }
    }

    // ---- rule 7: authentication and password ----------------------------------------------

    private static void CheckAuthentication(SenderProfileInput input, ValidationContext context, IssueList issues)
    {
        // A refused field will not be saved, so the cross-field rules look past it.
        var ownAuthentication = issues.IsRefused(SenderField.Authentication) ? null : input.Authentication;
        var effectiveAuthentication = ownAuthentication
            ?? (context.Scope == ProfileScopeKind.User ? context.InheritedAuthentication : null);
        var host = (issues.IsRefused(SenderField.Host) ? null : input.Host)
            ?? (context.Scope == ProfileScopeKind.User ? context.InheritedHost : null);
        var senderMode = issues.IsRefused(SenderField.SenderMode) ? null : input.SenderMode;
        var encryption = issues.IsRefused(SenderField.Encryption) ? null : input.Encryption;
        var login = issues.IsRefused(SenderField.Login) ? null : input.Login;

        var passwordRefused = issues.IsRefused(SenderField.Password);
        var passwordTyped = !passwordRefused && input.Password is { Length: > 0 };
        var passwordRemoved = input.Password is "";
        var passwordAfterSave = passwordTyped || (context.ExistingHasPassword && !passwordRemoved);

        if (!passwordRefused && !passwordAfterSave)
        {
            if (ownAuthentication == AuthenticationMethod.Password)
                issues.Error(SenderField.Password, ValidationCodes.PasswordRequired);
            else if (context.Scope == ProfileScopeKind.User && login is not null
                     && effectiveAuthentication == AuthenticationMethod.Password)
                issues.Error(SenderField.Password, ValidationCodes.PasswordRequiredWithLogin);
        }

        if (passwordTyped && effectiveAuthentication is AuthenticationMethod.None
                or AuthenticationMethod.OAuth2Microsoft365 or AuthenticationMethod.OAuth2Google)
        {
            issues.Error(SenderField.Password, ValidationCodes.PasswordNotUsed);
        }

        var microsoft365Mode = senderMode == SenderMode.Microsoft365OAuth;
        if (microsoft365Mode && ownAuthentication is { } chosen && chosen != AuthenticationMethod.OAuth2Microsoft365)
        {
            issues.Error(SenderField.Authentication, ValidationCodes.Microsoft365ModeNeedsOAuth);
        }
        else if ((microsoft365Mode || HostRules.IsMicrosoft365(host)) && effectiveAuthentication == AuthenticationMethod.Password)
        {
            issues.Warning(SenderField.Authentication, ValidationCodes.Microsoft365BasicAuthRetired);
        }

        if (encryption == EncryptionMode.None && effectiveAuthentication == AuthenticationMethod.Password)
            issues.Warning(SenderField.Encryption, ValidationCodes.EncryptionNoneWithPassword);

        if (passwordTyped && HostRules.IsGmail(host) && !LooksLikeGmailAppPassword(input.Password!))
            issues.Warning(SenderField.Password, ValidationCodes.GmailAppPasswordExpected);
    }

    private static bool LooksLikeGmailAppPassword(string password) =>
        password.Length == GmailAppPasswordLength && password.All(char.IsAsciiLetter);

    // ---- collecting issues ----------------------------------------------------------------

    /// <summary>
    /// The issues found so far. A field that is <em>refused</em> (e.g. it holds a line break, or
    /// the shared sender forbids it) gets no further checks: the person must first clear or
    /// retype it, and more messages about the same value would only be noise.
    /// </summary>
    private sealed class IssueList
    {
        private readonly List<ValidationIssue> _issues = [];
        private readonly HashSet<string> _refusedFields = [];

        public bool IsRefused(string field) => _refusedFields.Contains(field);

        public void Refuse(string field, string code, params (string Name, object? Value)[] args)
        {
            _refusedFields.Add(field);
            Error(field, code, args);
        }

        public void Error(string field, string code, params (string Name, object? Value)[] args) =>
            Add(field, code, IssueSeverity.Error, args);

        public void Warning(string field, string code, params (string Name, object? Value)[] args) =>
            Add(field, code, IssueSeverity.Warning, args);

        public IReadOnlyList<ValidationIssue> ToList() => _issues.ToArray();

        private void Add(string field, string code, IssueSeverity severity, (string Name, object? Value)[] args)
        {
            var arguments = args.Length == 0 ? null : args.ToDictionary(a => a.Name, a => a.Value);
            _issues.Add(new ValidationIssue(field, code, severity, arguments));
        }
    }
}
