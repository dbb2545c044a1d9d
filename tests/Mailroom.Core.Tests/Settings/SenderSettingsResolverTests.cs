using Mailroom.Core.Settings;
using Mailroom.Core.Users;

namespace Mailroom.Core.Tests.Settings;

public class SenderSettingsResolverTests
{
    private static readonly User Anna = new("anna", "anna.nowak@firma.pl", "Anna Nowak", Role.User, DateTimeOffset.UnixEpoch);

    private static readonly SenderProfile Global = new()
    {
        AccountName = "Comarch DMS",
        FromAddress = "powiadomienia@firma.pl",
        DisplayName = "Comarch DMS – powiadomienia",
        Host = "smtp.firma.pl",
        Port = 465,
        Encryption = EncryptionMode.SslTls,
        Authentication = AuthenticationMethod.Password,
        Login = "powiadomienia@firma.pl",
        ProtectedPassword = "cipher-global",
        SenderMode = SenderMode.OwnSmtp,
    };

    private static readonly SenderProfile Shared = new()
    {
        Host = "smtp.shared.pl",
        Port = 587,
        Encryption = EncryptionMode.StartTls,
        Login = "shared@firma.pl",
        ProtectedPassword = "cipher-shared",
        Signature = "Shared signature",
    };

    [Fact]
    public void EmptyUserProfile_InheritsServerFromGlobal_AndSendsAsTheUsersOwnAddress()
    {
        var effective = SenderSettingsResolver.ResolveForUser(Anna, null, Global, null);

        Assert.Equal("smtp.firma.pl", effective.Host);
        Assert.Equal(SettingSource.Global, effective.Sources[SenderField.Host]);
        Assert.Equal(465, effective.Port);
        Assert.Equal("anna.nowak@firma.pl", effective.FromAddress);
        Assert.Equal(SettingSource.UserAccount, effective.Sources[SenderField.FromAddress]);
        Assert.Equal("Anna Nowak", effective.DisplayName);
        Assert.Equal(SettingSource.UserAccount, effective.Sources[SenderField.DisplayName]);
        Assert.Equal("cipher-global", effective.ProtectedPassword);
        Assert.Equal(SettingSource.Global, effective.Sources[SenderField.Password]);
    }

    [Fact]
    public void UserField_OverridesGlobal_AndIsReportedAsUser()
    {
        var own = new SenderProfile { Host = "smtp.wp.pl", Port = 587, Encryption = EncryptionMode.StartTls, Bcc = "archiwum@firma.pl" };

        var effective = SenderSettingsResolver.ResolveForUser(Anna, own, Global, null);

        Assert.Equal("smtp.wp.pl", effective.Host);
        Assert.Equal(SettingSource.User, effective.Sources[SenderField.Host]);
        Assert.Equal(EncryptionMode.StartTls, effective.Encryption);
        Assert.Equal("archiwum@firma.pl", effective.Bcc);
        Assert.Equal(SettingSource.User, effective.Sources[SenderField.Bcc]);
        Assert.Equal(AuthenticationMethod.Password, effective.Authentication);
        Assert.Equal(SettingSource.Global, effective.Sources[SenderField.Authentication]);
    }

    [Fact]
    public void NothingSetAnywhere_FallsBackToSystemDefaults()
    {
        var effective = SenderSettingsResolver.ResolveGlobal(SenderProfile.Empty);

        Assert.True(effective.Enabled);
        Assert.Equal(587, effective.Port);
        Assert.Equal(EncryptionMode.Auto, effective.Encryption);
        Assert.Equal(AuthenticationMethod.None, effective.Authentication);
        Assert.Equal(SenderMode.System, effective.SenderMode);
        Assert.Null(effective.Host);
        Assert.All(SenderField.All, f => Assert.Equal(SettingSource.SystemDefault, effective.Sources[f]));
    }

    [Fact]
    public void SharedSender_IsEveryonesBase_AboveGlobal()
    {
        var effective = SenderSettingsResolver.ResolveForUser(Anna, null, Global, Shared);

        Assert.Equal("smtp.shared.pl", effective.Host);
        Assert.Equal(SettingSource.SharedSender, effective.Sources[SenderField.Host]);
        Assert.Equal("Shared signature", effective.Signature);
        Assert.Equal(SettingSource.SharedSender, effective.Sources[SenderField.Signature]);
        // Not set by the shared sender: still from global.
        Assert.Equal(AuthenticationMethod.Password, effective.Authentication);
        Assert.Equal(SettingSource.Global, effective.Sources[SenderField.Authentication]);
        Assert.Equal("shared@firma.pl", effective.Login);
        Assert.Equal("cipher-shared", effective.ProtectedPassword);
    }

    [Fact]
    public void SharedSender_UserMayOverrideLoginAndPassword_ButServerStillComesFromTheBase()
    {
        var own = new SenderProfile { Login = "anna@firma.pl", ProtectedPassword = "cipher-anna", Host = "smtp.elsewhere.pl", Signature = "Anna" };

        var effective = SenderSettingsResolver.ResolveForUser(Anna, own, Global, Shared);

        Assert.Equal("anna@firma.pl", effective.Login);
        Assert.Equal("cipher-anna", effective.ProtectedPassword);
        Assert.Equal(SettingSource.User, effective.Sources[SenderField.Login]);
        Assert.Equal(SettingSource.User, effective.Sources[SenderField.Password]);
        // Overrides stored before the shared sender was named do not apply while it is.
        Assert.Equal("smtp.shared.pl", effective.Host);
        Assert.Equal(SettingSource.SharedSender, effective.Sources[SenderField.Host]);
        Assert.Equal("Shared signature", effective.Signature);
    }

    [Fact]
    public void Credentials_TravelTogether_AUsersLoginIsNeverPairedWithAnotherPassword()
    {
        var own = new SenderProfile { Login = "anna@firma.pl" };

        var effective = SenderSettingsResolver.ResolveForUser(Anna, own, Global, null);

        Assert.Equal("anna@firma.pl", effective.Login);
        Assert.Null(effective.ProtectedPassword);
        Assert.False(effective.HasPassword);
        Assert.Equal(SettingSource.User, effective.Sources[SenderField.Password]);
    }

    [Fact]
    public void UserProfileFromAddress_BeatsTheAccountAddress()
    {
        var own = new SenderProfile { FromAddress = "biuro@firma.pl", DisplayName = "Biuro" };

        var effective = SenderSettingsResolver.ResolveForUser(Anna, own, Global, null);

        Assert.Equal("biuro@firma.pl", effective.FromAddress);
        Assert.Equal(SettingSource.User, effective.Sources[SenderField.FromAddress]);
        Assert.Equal("Biuro", effective.DisplayName);
    }

    [Fact]
    public void Fields_ListEveryFieldWithValueAndSource_AndShowOnlyWhetherAPasswordExists()
    {
        var effective = SenderSettingsResolver.ResolveForUser(Anna, null, Global, null);

        Assert.Equal(SenderField.All, effective.Fields.Keys);
        Assert.Equal(true, effective.Fields[SenderField.Password].Value);
        Assert.DoesNotContain(effective.Fields.Values, v => Equals(v.Value, "cipher-global"));
        Assert.Equal("smtp", effective.Fields[SenderField.ServerType].Value);
    }
}

public class SenderModeDefaultTests
{
    [Fact]
    public void NoModeChosen_WithAServer_SendsThroughThatServer()
    {
        var effective = SenderSettingsResolver.ResolveGlobal(new SenderProfile { Host = "smtp.wp.pl" });

        Assert.Equal(SenderMode.OwnSmtp, effective.SenderMode);
        Assert.Equal(SettingSource.SystemDefault, effective.Sources[SenderField.SenderMode]);
    }

    [Fact]
    public void NoModeChosen_AndNoServer_UsesTheSystemSender()
    {
        Assert.Equal(SenderMode.System, SenderSettingsResolver.ResolveGlobal(SenderProfile.Empty).SenderMode);
    }

    [Fact]
    public void ChosenMode_WinsOverTheServerBasedDefault()
    {
        var effective = SenderSettingsResolver.ResolveGlobal(new SenderProfile { Host = "smtp.wp.pl", SenderMode = SenderMode.System });

        Assert.Equal(SenderMode.System, effective.SenderMode);
        Assert.Equal(SettingSource.Global, effective.Sources[SenderField.SenderMode]);
    }
}
