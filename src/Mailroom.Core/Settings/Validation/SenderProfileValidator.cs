namespace Mailroom.Core.Settings.Validation;

// Placeholder until the validator branch is merged: accepts everything unchanged.
public static class SenderProfileValidator
{
    public static ValidationResult Validate(SenderProfileInput input, ValidationContext context) => new(input, []);
}
public static class EmailAddressRules
{
    public static bool IsValidAddress(string s) => s.Contains('@');
}
