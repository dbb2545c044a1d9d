using Microsoft.Playwright;

namespace Mailroom.Ui.Tests;

/// <summary>Signing out ends the session: the pages ask for sign-in again.</summary>
[Collection(UiCollection.Name)]
public sealed class SignOutTests(UiServer ui)
{
    [ChromiumFact]
    public async Task SignOut_EndsTheSession_AndProtectedPagesAskForSignInAgain()
    {
        var user = await ui.CreateUserAsync("signout");
        var page = await ui.NewPageAsync();
        await UiServer.SignInAsync(page, user.Email, user.Password);
        await page.GotoAsync("/settings/mine"); // lands on the user's own settings page
        var ownPage = page.Url;
        Assert.Contains("/settings/", ownPage);
        Assert.DoesNotContain("/signin", ownPage, StringComparison.OrdinalIgnoreCase);

        await page.Locator("form[action*='SignOut' i] button, form[action*='signout' i] button").First.ClickAsync();
        await page.WaitForURLAsync(url => url != ownPage);
        await page.GotoAsync(ownPage);

        Assert.Contains("/signin", page.Url, StringComparison.OrdinalIgnoreCase);
    }
}
