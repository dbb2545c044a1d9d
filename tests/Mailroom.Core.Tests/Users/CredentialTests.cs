using Mailroom.Core.Users;

namespace Mailroom.Core.Tests.Users;

public class CredentialTests
{
    [Fact]
    public void GeneratedApiKey_IsStoredOnlyAsItsHash()
    {
        var (key, plain) = ApiKey.Generate("anna", "ERP", DateTimeOffset.UnixEpoch);

        Assert.StartsWith(ApiKey.Prefix + key.Id + "_", plain);
        Assert.Equal(ApiKey.HashOf(plain), key.Hash);
        Assert.DoesNotContain(plain[(ApiKey.Prefix.Length + key.Id.Length + 1)..], key.Hash);
        Assert.True(plain.Length > 40, "a key carries 256 random bits");
    }

    [Fact]
    public void TwoGeneratedKeys_Differ()
    {
        var a = ApiKey.Generate("anna", "a", DateTimeOffset.UnixEpoch);
        var b = ApiKey.Generate("anna", "b", DateTimeOffset.UnixEpoch);

        Assert.NotEqual(a.PlainKey, b.PlainKey);
        Assert.NotEqual(a.Key.Id, b.Key.Id);
    }

    [Fact]
    public void PasswordHash_VerifiesTheRightPasswordOnly()
    {
        var hash = PasswordHasher.Hash("correct horse battery");

        Assert.True(PasswordHasher.Verify("correct horse battery", hash));
        Assert.False(PasswordHasher.Verify("correct horse batterY", hash));
        Assert.DoesNotContain("correct horse", hash);
        Assert.NotEqual(hash, PasswordHasher.Hash("correct horse battery"));
    }

    [Fact]
    public void PasswordHash_RejectsMalformedStoredValues()
    {
        Assert.False(PasswordHasher.Verify("x", "md5$abc"));
        Assert.False(PasswordHasher.Verify("x", ""));
    }

    [Fact]
    public void GeneratedPassword_Is20CharactersWithoutLookAlikes()
    {
        var password = PasswordHasher.GeneratePassword();

        Assert.Equal(20, password.Length);
        Assert.DoesNotContain(password, c => c is '0' or 'O' or '1' or 'l' or 'I');
    }
}
