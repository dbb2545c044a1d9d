using Mailroom.Core.Settings;
using Mailroom.Core.Settings.Validation;
using static Mailroom.Core.Tests.Settings.Validation.ValidationAssert;

namespace Mailroom.Core.Tests.Settings.Validation;

public sealed class AddressTests
{
    [Theory]
    [InlineData("jan@firma.pl")]
    [InlineData("jan.kowalski@poczta.firma.com.pl")]
    [InlineData("annanowa@gmail.com")]
    [InlineData("jan+faktury@firma.pl")]
    [InlineData("o'connor@example.ie")]
    [InlineData("!#$%&'*+-/=?^_`{|}~@example.com")]
    [InlineData("jan@żółw.pl")]
    [InlineData("jan@ŻÓŁW.PL")]
    [InlineData("jan@xn--w-uga1v8h.pl")]
    [InlineData("\"jan kowalski\"@firma.pl")]
    [InlineData("\"jan@dom\"@firma.pl")]
    [InlineData("\"a\\\"b\"@firma.pl")]
    [InlineData("jan@[192.0.2.1]")]
    [InlineData("jan@[IPv6:2001:db8::1]")]
    [InlineData("a@b.pl")]
    public void ValidAddress_IsAcceptedInEveryAddressField(string address)
    {
        HasNoIssues(Validate(new SenderProfileInput { FromAddress = address, ReplyTo = address, Bcc = address }));
    }

    [Theory]
    [InlineData("a@")]
    [InlineData("@b.pl")]
    [InlineData("a b@c.pl")]
    [InlineData("a@b")]
    [InlineData("jan")]
    [InlineData("jan@@firma.pl")]
    [InlineData("jan@fir ma.pl")]
    [InlineData(".jan@firma.pl")]
    [InlineData("jan.@firma.pl")]
    [InlineData("jan..kowalski@firma.pl")]
    [InlineData("jan@firma..pl")]
    [InlineData("jan@-firma.pl")]
    [InlineData("jan@firma-.pl")]
    [InlineData("jan@firma.pl.")]
    [InlineData("jan@firma_pl.pl")]
    [InlineData("jan@1.2.3.4")]
    [InlineData("jan@[999.1.1.1]")]
    [InlineData("jan@[IPv6:nie-ip]")]
    [InlineData("jan(komentarz)@firma.pl")]
    [InlineData("\"niezamknięty@firma.pl")]
    [InlineData("jan@firma.pl,")]
    public void InvalidAddress_IsRefusedAndQuoted(string address)
    {
        var result = Validate(new SenderProfileInput { FromAddress = address, ReplyTo = address });

        var from = HasIssue(result, SenderField.FromAddress, ValidationCodes.AddressInvalid);
        HasIssue(result, SenderField.ReplyTo, ValidationCodes.AddressInvalid);
        Assert.Equal(address, from.Args!["address"]);
        Assert.Contains(address, from.Message("pl"));
    }

    [Fact]
    public void NonAsciiLocalPart_IsRefused_BecauseOnlyTheDomainMayBeUnicode()
    {
        // SMTPUTF8 mailboxes exist, but few servers accept them; the domain is what IDNA covers.
        HasIssue(Validate(new SenderProfileInput { FromAddress = "użytkownik@żółw.pl" }),
            SenderField.FromAddress, ValidationCodes.AddressInvalid);
    }

    [Theory]
    [InlineData("\"x\" <a@b.pl>", "x", "a@b.pl")]
    [InlineData("\"Jan Kowalski\" <jan@firma.pl>", "Jan Kowalski", "jan@firma.pl")]
    [InlineData("Jan Kowalski <jan@firma.pl>", "Jan Kowalski", "jan@firma.pl")]
    public void FromAddressWithDisplayName_AsksToMoveTheNameToDisplayName(string typed, string name, string address)
    {
        var issue = HasIssue(Validate(new SenderProfileInput { FromAddress = typed }),
            SenderField.FromAddress, ValidationCodes.FromAddressNameForm);

        Assert.Equal(name, issue.Args!["name"]);
        Assert.Equal(address, issue.Args["address"]);
    }

    [Fact]
    public void FromAddressInAngleBracketsWithoutName_AsksForTheBareAddress()
    {
        var issue = HasIssue(Validate(new SenderProfileInput { FromAddress = "<jan@firma.pl>" }),
            SenderField.FromAddress, ValidationCodes.AddressNameForm);
        Assert.Equal("jan@firma.pl", issue.Args!["address"]);
    }

    [Fact]
    public void ReplyToWithDisplayName_AsksForTheBareAddress()
    {
        var issue = HasIssue(Validate(new SenderProfileInput { ReplyTo = "\"Biuro\" <biuro@firma.pl>" }),
            SenderField.ReplyTo, ValidationCodes.AddressNameForm);
        Assert.Contains("biuro@firma.pl", issue.Message("en"));
    }

    [Fact]
    public void DisplayNameAroundAnInvalidAddress_IsJustInvalid()
    {
        HasIssue(Validate(new SenderProfileInput { FromAddress = "Jan <jan@firma>" }),
            SenderField.FromAddress, ValidationCodes.AddressInvalid);
    }

    [Fact]
    public void LocalPartOver64Characters_IsRefused()
    {
        var ok = new string('a', 64) + "@firma.pl";
        var tooLong = new string('a', 65) + "@firma.pl";

        HasNoIssues(Validate(new SenderProfileInput { FromAddress = ok }));
        var issue = HasIssue(Validate(new SenderProfileInput { FromAddress = tooLong }),
            SenderField.FromAddress, ValidationCodes.AddressLocalPartTooLong);
        Assert.Contains("64", issue.Message("pl"));
    }

    [Fact]
    public void AddressOver254Characters_IsRefused()
    {
        // 50 + 1 + (4 × 50-char labels with dots) + ".pl" stays within every label limit.
        var domain = string.Join('.', Enumerable.Repeat(new string('d', 49), 4)) + ".pl";
        var ok = new string('a', 254 - 1 - domain.Length) + "@" + domain;
        var tooLong = "a" + ok;

        HasNoIssues(Validate(new SenderProfileInput { FromAddress = ok }));
        HasIssue(Validate(new SenderProfileInput { FromAddress = tooLong }), SenderField.FromAddress, ValidationCodes.AddressTooLong);
    }

    [Theory]
    [InlineData("archiwum@firma.pl, kierownik@firma.pl")]
    [InlineData("archiwum@firma.pl;kierownik@firma.pl")]
    [InlineData("archiwum@firma.pl; kierownik@firma.pl;")]
    [InlineData("\"a,b;c\"@firma.pl, kierownik@firma.pl")]
    public void BccWithSeveralAddresses_IsAccepted(string bcc)
    {
        var result = Validate(new SenderProfileInput { Bcc = bcc });

        HasNoIssues(result);
        Assert.Equal(bcc.Trim(), result.Normalized.Bcc);
    }

    [Fact]
    public void BccWithInvalidAddresses_NamesEachOne()
    {
        var result = Validate(new SenderProfileInput { Bcc = "archiwum@firma.pl; zly@; kierownik@firma.pl, a b@c.pl" });

        var invalid = result.Issues.Where(i => i.Field == SenderField.Bcc).ToList();
        Assert.Equal(2, invalid.Count);
        Assert.All(invalid, i => Assert.Equal(ValidationCodes.AddressInvalid, i.Code));
        Assert.Contains(invalid, i => i.Message("en").Contains("zly@", StringComparison.Ordinal));
        Assert.Contains(invalid, i => i.Message("pl").Contains("a b@c.pl", StringComparison.Ordinal));
    }

    [Fact]
    public void BccWithDisplayName_AsksForTheBareAddress()
    {
        var result = Validate(new SenderProfileInput { Bcc = "archiwum@firma.pl, \"Szef\" <szef@firma.pl>" });

        var issue = HasIssue(result, SenderField.Bcc, ValidationCodes.AddressNameForm);
        Assert.Equal("szef@firma.pl", issue.Args!["address"]);
    }
}
