namespace Mailroom.Core.Settings.Validation;

/// <summary>Whether an issue stops the save.</summary>
public enum IssueSeverity
{
    /// <summary>The save is refused.</summary>
    Error,

    /// <summary>The save goes ahead; the person is told (e.g. SSL/TLS on port 587).</summary>
    Warning,
}

/// <summary>One finding about one field, rendered into a sentence by <see cref="Localization.Messages"/>.</summary>
/// <param name="Field">The field's API name (<see cref="SenderField"/>).</param>
/// <param name="Code">Stable machine-readable code, e.g. <c>port.notAllowed</c>.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="Args">Values the message quotes (the port, the allowed ports, …).</param>
public sealed record ValidationIssue(
    string Field,
    string Code,
    IssueSeverity Severity,
    IReadOnlyDictionary<string, object?>? Args = null)
{
    /// <summary>The sentence for a person, in <paramref name="language"/> ("en" or "pl").</summary>
    public string Message(string language) => Localization.Messages.Format(Code, language, Args);
}

/// <summary>Which profile is being validated.</summary>
public enum ProfileScopeKind
{
    /// <summary>The company's global profile.</summary>
    Global,

    /// <summary>One user's own profile.</summary>
    User,
}

/// <summary>What the validator needs to know beside the input itself.</summary>
/// <param name="PortPolicy">Which ports are open.</param>
/// <param name="Scope">Global or user profile.</param>
/// <param name="SharedSenderActive">True when a shared sender is named and this profile is not the shared sender's own: only login and password may be set.</param>
/// <param name="ExistingHasPassword">Whether a password is already stored for this profile.</param>
/// <param name="InheritedAuthentication">For a user profile, the authentication method it would inherit; null for the global profile.</param>
/// <param name="InheritedHost">For a user profile, the host it would inherit (so a Gmail app password typed by a user of a shared Gmail account is still cleaned); null for the global profile.</param>
public sealed record ValidationContext(
    PortPolicy PortPolicy,
    ProfileScopeKind Scope,
    bool SharedSenderActive = false,
    bool ExistingHasPassword = false,
    AuthenticationMethod? InheritedAuthentication = null,
    string? InheritedHost = null);

/// <summary>The validator's answer: the input normalised (trimmed, host:port split, app-password spaces removed) and every issue found.</summary>
public sealed record ValidationResult(SenderProfileInput Normalized, IReadOnlyList<ValidationIssue> Issues)
{
    /// <summary>True when no issue is an error.</summary>
    public bool IsValid => Issues.All(i => i.Severity != IssueSeverity.Error);

    /// <summary>The errors only.</summary>
    public IEnumerable<ValidationIssue> Errors => Issues.Where(i => i.Severity == IssueSeverity.Error);

    /// <summary>The warnings only.</summary>
    public IEnumerable<ValidationIssue> Warnings => Issues.Where(i => i.Severity == IssueSeverity.Warning);
}
