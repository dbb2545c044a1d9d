using System.Net.Http.Json;
using System.Text.Json;
using Mailroom.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Ui.Tests;

/// <summary>"Authenticate with Microsoft 365" in real Chromium, against the test bed's local OAuth2 server.</summary>
[Collection(UiCollection.Name)]
public sealed class OAuthSignInTests(UiServer ui)
{
    [ChromiumAndTestbedFact]
    public async Task AuthenticateWithMicrosoft365_SignsInAtTheProvider_AndTheSettingsPageShowsTheAccount()
    {
        var bed = MailTestbed.Instance;
        var person = await ui.CreateUserAsync("oauth");
        (await ui.AdminApi.PutAsJsonAsync("/api/settings/port-policy", new { additionalPorts = new[] { bed.SubmissionPort } })).EnsureSuccessStatusCode();
        var saved = await ui.AdminApi.PutAsJsonAsync($"/api/users/{person.Id}/settings", new
        {
            senderMode = "ownSmtp", host = bed.Host, port = bed.SubmissionPort, encryption = "startTls",
            authentication = "oauth2Microsoft365", certificateSha256 = bed.CertificateSha256,
        });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());

        var page = await ui.NewPageAsync();
        await UiServer.SignInAsync(page, person.Email, person.Password);
        await page.GotoAsync($"/settings/users/{person.Id}");
        await Expect(page.Locator("#oauth-status")).ToContainTextAsync("Not signed in with Microsoft 365 yet");

        // Refusing consent at the provider comes back as a clear message, and nothing is stored.
        await page.Locator("#oauth-authenticate").ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(bed.OAuth2.Issuer + "/interaction/", StringComparison.Ordinal)); // the provider's sign-in page
        await page.Locator("#username").FillAsync(bed.UserName);
        await page.Locator("#deny").ClickAsync();
        await page.WaitForURLAsync($"**/settings/users/{person.Id}?oauth=consentMissing*");
        await Expect(page.Locator("#oauth-outcome")).ToContainTextAsync("did not grant Mailroom permission");

        // Signing in and allowing: back on the page, the account is shown.
        var authorize = page.WaitForRequestAsync(request => request.Url.StartsWith(bed.OAuth2.Issuer + "/authorize?", StringComparison.Ordinal));
        await page.Locator("#oauth-authenticate").ClickAsync();
        Assert.Contains("code_challenge_method=S256", (await authorize).Url, StringComparison.Ordinal);
        await page.WaitForURLAsync(url => url.StartsWith(bed.OAuth2.Issuer + "/interaction/", StringComparison.Ordinal));
        await page.Locator("#username").FillAsync(bed.UserName);
        await page.Locator("#allow").ClickAsync();
        await page.WaitForURLAsync($"**/settings/users/{person.Id}?oauth=authenticated*");
        await Expect(page.Locator("#oauth-status")).ToHaveTextAsync($"Microsoft 365 authenticated: {bed.UserName}");
        await UiServer.ScreenshotAsync(page, "oauth-authenticated");

        var grant = await ui.AdminApi.GetFromJsonAsync<JsonElement>($"/api/oauth/grants/user:{person.Id}");
        Assert.Equal(bed.UserName, grant.GetProperty("account").GetString());

        // Removing the sign-in.
        await page.Locator("#oauth-signout").ClickAsync();
        await Expect(page.Locator("#oauth-outcome")).ToHaveTextAsync("The sign-in was removed.");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await ui.AdminApi.GetAsync($"/api/oauth/grants/user:{person.Id}")).StatusCode);
    }
}
