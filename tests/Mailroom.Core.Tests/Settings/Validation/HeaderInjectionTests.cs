using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;
using static Mailroom.Core.Tests.Settings.Validation.ValidationAssert;

namespace Mailroom.Core.Tests.Settings.Validation;

public sealed class HeaderInjectionTests
{
    private static readonly Dictionary<string, Func<string, SenderProfileInput>> HeaderBoundFields = new()
    {
        [SenderField.AccountName] = v => new() { AccountName = v },
        [SenderField.FromAddress] = v => new() { FromAddress = v },
        [SenderField.DisplayName] = v => new() { DisplayName = v },
        [SenderField.ReplyTo] = v => new() { ReplyTo = v },
        [SenderField.Host] = v => new() { Host = v },
        [SenderField.Login] = v => new() { Login = v },
        [SenderField.Bcc] = v => new() { Bcc = v },
        [SenderField.Password] = v => new() { Password = v, Authentication = AuthenticationMethod.Password },
    };

    // A value that would be fine without the inserted character, for each field.
    private static readonly Dictionary<string, (string Before, string After)> GoodValueHalves = new()
    {
        [SenderField.AccountName] = ("Comarch", " DMS"),
        [SenderField.FromAddress] = ("jan@firma.pl", "Bcc: ofiara@example.com"),
        [SenderField.DisplayName] = ("Jan", " Kowalski"),
        [SenderField.ReplyTo] = ("jan@firma.pl", "X-Spam: no"),
        [SenderField.Host] = ("smtp.wp.pl", ""),
        [SenderField.Login] = ("jan", "kowalski"),
        [SenderField.Bcc] = ("archiwum@firma.pl", "To: all@example.com"),
        [SenderField.Password] = ("tajne", "hasło"),
    };

    private static readonly string[] ControlCharacters = ["\r\n", "\r", "\n", "\0", "\t", "\u0085", "\u2028", "\u2029", "\u007f", "\u001b"];

    public static TheoryData<string, string> FieldsAndControlCharacters()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in HeaderBoundFields.Keys)
        {
            foreach (var control in ControlCharacters)
                data.Add(field, control);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(FieldsAndControlCharacters))]
    public void HeaderBoundField_WithControlCharacter_IsRefused(string field, string control)
    {
        var (before, after) = GoodValueHalves[field];
        var result = Validate(HeaderBoundFields[field](before + control + after));

        HasIssue(result, field, ValidationCodes.HeaderControlCharacters);
        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData(SenderField.FromAddress)]
    [InlineData(SenderField.Host)]
    [InlineData(SenderField.Password)]
    public void TrailingLineBreak_IsRefused_NotSilentlyTrimmed(string field)
    {
        var (before, _) = GoodValueHalves[field];
        HasIssue(Validate(HeaderBoundFields[field](before + "\r\n")), field, ValidationCodes.HeaderControlCharacters);
    }

    [Fact]
    public void FieldWithControlCharacter_GetsNoFurtherMessages()
    {
        var result = Validate(new SenderProfileInput { FromAddress = "jan@firma.pl\r\nBcc: x@y.pl" });

        Assert.Single(result.Issues);
        HasIssue(result, SenderField.FromAddress, ValidationCodes.HeaderControlCharacters);
    }

    [Fact]
    public void ControlCharacterMessage_DoesNotQuoteThePassword()
    {
        var issue = HasIssue(Validate(new SenderProfileInput { Password = "tajne\nhasło" }),
            SenderField.Password, ValidationCodes.HeaderControlCharacters);

        Assert.DoesNotContain("tajne", issue.Message("en"));
        Assert.Null(issue.Args);
    }

    [Theory]
    [InlineData("Pierwsza linia\r\nDruga linia")]
    [InlineData("Linia\nlinia")]
    [InlineData("Kolumna\tkolumna")]
    public void DescriptionAndSignature_MayHoldLineBreaksAndTabs(string text)
    {
        HasNoIssues(Validate(new SenderProfileInput { Description = text, Signature = text }));
    }

    [Theory]
    [InlineData("\0")]
    [InlineData("\u001b")]
    [InlineData("\u0085")]
    [InlineData("\u2028")]
    [InlineData("\u007f")]
    public void DescriptionAndSignature_RefuseOtherControlCharacters(string control)
    {
        var result = Validate(new SenderProfileInput { Description = "Opis" + control, Signature = "Jan" + control + "Kowalski" });

        HasIssue(result, SenderField.Description, ValidationCodes.TextControlCharacters);
        HasIssue(result, SenderField.Signature, ValidationCodes.TextControlCharacters);
    }
}
