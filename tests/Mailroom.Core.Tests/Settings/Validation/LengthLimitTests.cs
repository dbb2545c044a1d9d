using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;
using static Mailroom.Core.Tests.Settings.Validation.ValidationAssert;

namespace Mailroom.Core.Tests.Settings.Validation;

public sealed class LengthLimitTests
{
    [Theory]
    [InlineData(SenderField.AccountName, 100)]
    [InlineData(SenderField.DisplayName, 200)]
    [InlineData(SenderField.Description, 2000)]
    [InlineData(SenderField.Signature, 10000)]
    [InlineData(SenderField.Login, 320)]
    [InlineData(SenderField.Password, 1024)]
    public void TextsOverTheirLimit_AreRefusedWithTheLimit(string field, int max)
    {
        SenderProfileInput WithLength(int length)
        {
            var text = new string('x', length);
            return field switch
            {
                SenderField.AccountName => new() { AccountName = text },
                SenderField.DisplayName => new() { DisplayName = text },
                SenderField.Description => new() { Description = text },
                SenderField.Signature => new() { Signature = text },
                SenderField.Login => new() { Login = text },
                _ => new() { Password = text, Authentication = AuthenticationMethod.Password },
            };
        }

        HasNoIssues(Validate(WithLength(max)));
        var issue = HasIssue(Validate(WithLength(max + 1)), field, ValidationCodes.FieldTooLong);
        Assert.Equal(max, issue.Args!["max"]);
        Assert.Equal(max, SenderProfileValidator.MaxLengths[field]);
    }
}
