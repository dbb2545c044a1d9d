using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;

namespace Mailroom.Core.Tests.Settings.Validation;

/// <summary>Shorthands for running the validator and asserting on (field, code) pairs.</summary>
internal static class ValidationAssert
{
    public static ValidationContext Global { get; } = new(PortPolicy.Default, ProfileScopeKind.Global);

    public static ValidationContext User(
        AuthenticationMethod? inherited = null, bool existingHasPassword = false, bool sharedSender = false) =>
        new(PortPolicy.Default, ProfileScopeKind.User, sharedSender, existingHasPassword, inherited);

    public static ValidationResult Validate(SenderProfileInput input, ValidationContext? context = null) =>
        SenderProfileValidator.Validate(input, context ?? Global);

    /// <summary>Asserts that exactly one issue with this field, code and severity is present, and returns it.</summary>
    public static ValidationIssue HasIssue(
        ValidationResult result, string field, string code, IssueSeverity severity = IssueSeverity.Error)
    {
        var matching = result.Issues.Where(i => i.Field == field && i.Code == code).ToList();
        Assert.True(matching.Count == 1,
            $"Expected one {code} on {field}; got: {Describe(result)}");
        Assert.Equal(severity, matching[0].Severity);
        return matching[0];
    }

    public static void HasNoIssues(ValidationResult result) =>
        Assert.True(result.Issues.Count == 0, $"Expected no issues; got: {Describe(result)}");

    public static void HasNoIssueOn(ValidationResult result, string field) =>
        Assert.True(result.Issues.All(i => i.Field != field), $"Expected no issue on {field}; got: {Describe(result)}");

    public static void HasNoIssueWithCode(ValidationResult result, string code) =>
        Assert.True(result.Issues.All(i => i.Code != code), $"Expected no {code}; got: {Describe(result)}");

    private static string Describe(ValidationResult result) =>
        result.Issues.Count == 0
            ? "(none)"
            : string.Join("; ", result.Issues.Select(i => $"{i.Field}:{i.Code}:{i.Severity}"));
}
