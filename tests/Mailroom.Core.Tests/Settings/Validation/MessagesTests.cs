using Mailroom.Core.Localization;
using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;
using static Mailroom.Core.Tests.Settings.Validation.ValidationAssert;

namespace Mailroom.Core.Tests.Settings.Validation;

public sealed class MessagesTests
{
    public static TheoryData<string> AllCodes() => new(SenderProfileValidator.Codes);

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void EveryCode_HasDifferentNonEmptySentencesInEnglishAndPolish(string code)
    {
        Assert.True(Messages.IsKnown(code), $"{code} has no sentence");
        var english = Messages.Format(code, "en");
        var polish = Messages.Format(code, "pl");
        Assert.False(string.IsNullOrWhiteSpace(english));
        Assert.False(string.IsNullOrWhiteSpace(polish));
        Assert.NotEqual(code, english);
        Assert.NotEqual(english, polish);
    }

    [Fact]
    public void CodesList_HoldsEveryCodeConstant()
    {
        var constants = typeof(ValidationCodes).GetFields()
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!);
        Assert.Equal(constants.Order(), SenderProfileValidator.Codes.Order());
        Assert.Equal(SenderProfileValidator.Codes.Count, SenderProfileValidator.Codes.Distinct().Count());
    }

    [Fact]
    public void PortNotAllowed_InPolish_NamesThePortAndTheAllowedPortsAndTheAdministrator()
    {
        var context = Global with { PortPolicy = new PortPolicy { AdditionalPorts = [2525] } };
        var issue = HasIssue(Validate(new SenderProfileInput { Port = 2526 }, context),
            SenderField.Port, ValidationCodes.PortNotAllowed);

        var polish = issue.Message("pl");
        Assert.Contains("2526", polish);
        Assert.Contains("25, 465, 587, 2525", polish);
        Assert.Contains("administrator", polish, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("25, 465, 587, 2525", issue.Message("en"));
    }

    [Fact]
    public void Messages_QuoteTheirArguments_NoPlaceholderIsLeftOver()
    {
        var result = Validate(new SenderProfileInput
        {
            FromAddress = "\"Jan\" <jan@firma.pl>",
            Host = "smtp://smtp.wp.pl",
            Port = 70000,
            AccountName = new string('a', 101),
            ServerType = "imap",
            Bcc = "zly-adres",
        });

        Assert.NotEmpty(result.Issues);
        foreach (var issue in result.Issues)
        {
            foreach (var language in Messages.Languages)
                Assert.DoesNotContain("{", issue.Message(language));
        }
    }

    [Fact]
    public void FromAddressNameForm_TellsToMoveTheNameToDisplayName()
    {
        var issue = HasIssue(Validate(new SenderProfileInput { FromAddress = "\"Jan Kowalski\" <jan@firma.pl>" }),
            SenderField.FromAddress, ValidationCodes.FromAddressNameForm);

        Assert.Contains("Jan Kowalski", issue.Message("en"));
        Assert.Contains("jan@firma.pl", issue.Message("en"));
        Assert.Contains("Display name", issue.Message("en"));
        Assert.Contains("Nazwa wyświetlana", issue.Message("pl"));
    }

    [Fact]
    public void FieldTooLong_NamesTheLimit()
    {
        var issue = HasIssue(Validate(new SenderProfileInput { DisplayName = new string('x', 201) }),
            SenderField.DisplayName, ValidationCodes.FieldTooLong);

        Assert.Contains("200", issue.Message("en"));
        Assert.Contains("200", issue.Message("pl"));
    }
}
