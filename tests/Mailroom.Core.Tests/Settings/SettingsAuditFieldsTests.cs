using Mailroom.Core.Settings;

namespace Mailroom.Core.Tests.Settings;

public class SettingsAuditFieldsTests
{
    [Fact]
    public void ChangedFields_NamesTheFieldsThatDiffer()
    {
        var before = new SenderProfile { Host = "a.pl", Port = 587 };
        var after = new SenderProfile { Host = "b.pl", Port = 587, Bcc = "x@y.pl" };

        Assert.Equal(["host", "bcc"], SenderSettingsService.ChangedFields(before, after, passwordTouched: false));
    }

    [Fact]
    public void ChangedFields_NamesThePasswordWhenSent_NeverItsValue()
    {
        var before = new SenderProfile { ProtectedPassword = "c1" };
        var after = new SenderProfile { ProtectedPassword = "c2" };

        Assert.Equal(["password"], SenderSettingsService.ChangedFields(before, after, passwordTouched: true));
        Assert.Empty(SenderSettingsService.ChangedFields(before, before, passwordTouched: false));
    }
}
