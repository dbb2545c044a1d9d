using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Core.Localization;
using Mailroom.Core.Mail;
using Mailroom.Core.OAuth;

namespace Mailroom.Core.Tests.OAuth;

public sealed class OAuthOptionsTests
{
    [Fact]
    public void Defaults_AreTheRealMicrosoftAndGoogleEndpointsAndScopes()
    {
        var options = new OAuthOptions { Microsoft365 = { Tenant = "contoso.onmicrosoft.com" } };

        var microsoft = options.EndpointsFor(OAuthProvider.Microsoft365);
        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize", microsoft.Authorization);
        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token", microsoft.Token);
        Assert.Equal("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode", microsoft.DeviceAuthorization);
        Assert.Equal("https://outlook.office.com/SMTP.Send offline_access openid email", microsoft.Scopes);
        Assert.Equal("https://outlook.office365.com/.default", microsoft.AppOnlyScope);

        var google = options.EndpointsFor(OAuthProvider.Google);
        Assert.Equal("https://accounts.google.com/o/oauth2/v2/auth", google.Authorization);
        Assert.Equal("https://oauth2.googleapis.com/token", google.Token);
        Assert.Contains("https://mail.google.com/", google.Scopes);
    }

    [Fact]
    public void EveryEndpoint_CanBeOverridden()
    {
        var options = new OAuthOptions { Microsoft365 = { Authority = "https://login.example.test/", TokenEndpoint = "http://127.0.0.1:1/token", Scopes = "a b" } };

        var endpoints = options.EndpointsFor(OAuthProvider.Microsoft365);
        Assert.Equal("https://login.example.test/organizations/oauth2/v2.0/authorize", endpoints.Authorization);
        Assert.Equal("http://127.0.0.1:1/token", endpoints.Token);
        Assert.Equal("a b", endpoints.Scopes);
    }

    [Fact]
    public void AuthorizationUrl_CarriesPkceS256StateAndTheScopes()
    {
        var client = new OAuthClient(new HttpClient(), new OAuthOptions { Google = { ClientId = "id-1" } });
        var verifier = OAuthClient.NewVerifier();

        var url = new Uri(client.AuthorizationUrl(OAuthProvider.Google, "https://mailroom.example/oauth/callback", "st4te", OAuthClient.Challenge(verifier), "anna@firma.pl"));
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);

        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(OAuthClient.Challenge(verifier), query["code_challenge"]);
        Assert.NotEqual(verifier, query["code_challenge"]);
        Assert.Equal("st4te", query["state"]);
        Assert.Equal("offline", query["access_type"]);
        Assert.Equal("anna@firma.pl", query["login_hint"]);
        Assert.Contains("https://mail.google.com/", query["scope"]);
        Assert.True(verifier.Length >= 43);
    }

    [Fact]
    public async Task WithoutClientId_TheProblemNamesTheSetting()
    {
        var client = new OAuthClient(new HttpClient(), new OAuthOptions());
        var problem = await Assert.ThrowsAsync<OAuthProblemException>(() => client.ClientCredentialsAsync(OAuthProvider.Microsoft365));
        Assert.Equal(OAuthProblemException.NotConfigured, problem.Code);
        Assert.Contains("Mailroom:OAuth:Microsoft365:ClientId", problem.Message);
    }

    [Theory]
    [InlineData("invalid_grant", "AADSTS70008: The refresh token has expired", OAuthProblemException.SignInAgain)]
    [InlineData("invalid_grant", "AADSTS65001: The user or administrator has not consented", OAuthProblemException.ConsentMissing)]
    [InlineData("consent_required", "", OAuthProblemException.ConsentMissing)]
    [InlineData("access_denied", "", OAuthProblemException.ConsentMissing)]
    [InlineData("invalid_client", "AADSTS7000215: Invalid client secret", OAuthProblemException.ProviderError)]
    public void ProviderErrors_MapToWhatThePersonMustDo(string error, string description, string code) =>
        Assert.Equal(code, OAuthClient.Problem("Microsoft 365", 400, error, description).Code);

    [Fact]
    public void Smtp5_7_139_WithOAuth_IsSmtpAuthDisabled_InBothLanguages()
    {
        var reply = SmtpReply.From(535, "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.");
        var hint = ConnectionCheckHints.ForOAuthRefused(reply, "Microsoft 365", "anna@firma.pl");

        Assert.Equal("auth.oauth.smtpAuthDisabled", hint.Code);
        Assert.Equal(OAuthProblemException.SmtpAuthDisabled, OAuthProblemException.RefusalCode(reply)); // what delivery says, too
        Assert.Contains("Authenticated SMTP", hint.MessageIn("en"));
        Assert.Contains("uwierzytelniony SMTP", hint.MessageIn("pl"));
        Assert.Equal("auth.oauth.tokenRefused", ConnectionCheckHints.ForOAuthRefused(SmtpReply.From(535, "5.7.8 Error: authentication failed"), "Google", "a@b.pl").Code);
    }

    [Fact]
    public void EveryOAuthSentence_ExistsInBothLanguages()
    {
        foreach (var code in ConnectionCheckHints.OAuthCodes)
            Assert.True(Messages.IsKnown(ConnectionCheckHint.MessagePrefix + code), code);
        foreach (var reason in new[] { "notSignedIn", "signInAgain", "consentMissing", "wrongAccount", "notConfigured", "providerError", "tokenRefused", "smtpAuthDisabled" })
            Assert.NotEqual(Messages.Format("oauth.problem." + reason, "en"), Messages.Format("oauth.problem." + reason, "pl"));
    }

    [Fact]
    public void TokensAndDeviceCodes_NeverShowThemselvesInText()
    {
        var tokens = new OAuthTokens("access-SECRET", "refresh-SECRET", DateTimeOffset.UnixEpoch, "id-SECRET");
        var device = new DeviceAuthorization("device-SECRET", "ABCD", "https://microsoft.com/devicelogin", DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(5));
        var access = new OAuthAccessToken("anna@firma.pl", "access-SECRET", DateTimeOffset.UnixEpoch, Mailroom.Core.Settings.ProfileScope.Global);

        Assert.DoesNotContain("SECRET", tokens.ToString());
        Assert.DoesNotContain("SECRET", device.ToString());
        Assert.DoesNotContain("SECRET", access.ToString());
    }
}
