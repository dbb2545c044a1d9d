using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Ui.Tests;

/// <summary>The Mail server tab in real Chromium: sign-in, the Comarch WP example, field errors, language.</summary>
[Collection(UiCollection.Name)]
public sealed class MailServerTabTests(UiServer ui)
{
    [ChromiumFact]
    public async Task SignIn_WithTheFirstStartCredentials_OpensTheMailServerTab_AndAWrongPasswordIsRefused()
    {
        var page = await ui.NewPageAsync();
        var signInPage = await page.GotoAsync("/settings/server");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
        Assert.Equal("DENY", signInPage!.Headers["x-frame-options"]);
        Assert.Contains("frame-ancestors 'none'", signInPage.Headers["content-security-policy"], StringComparison.Ordinal);

        await page.Locator("#email").FillAsync(ui.AdminEmail);
        await page.Locator("#password").FillAsync("not the password");
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page.Locator("#signin-error")).ToBeVisibleAsync();

        await page.Locator("#password").FillAsync(ui.AdminPassword);
        await page.Locator("main button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/settings/server");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Mail server");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/signin");
        await page.GotoAsync("/settings/server");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task FiveWrongPasswords_LockTheAddressForAWhile_EvenAgainstTheRightPassword()
    {
        var marta = await ui.CreateUserAsync("marta");
        var page = await ui.NewPageAsync();
        await page.GotoAsync("/signin");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await page.Locator("#email").FillAsync(marta.Email);
            await page.Locator("#password").FillAsync("wrong " + attempt);
            await page.Locator("main button[type=submit]").ClickAsync();
            await Expect(page.Locator("#signin-error")).ToHaveTextAsync("The address or the password is not right.");
        }
        await page.Locator("#email").FillAsync(marta.Email);
        await page.Locator("#password").FillAsync(marta.Password);
        var locked = await page.RunAndWaitForResponseAsync(() => page.Locator("main button[type=submit]").ClickAsync(), r => r.Url.Contains("/signin", StringComparison.Ordinal));
        Assert.Equal(429, locked.Status);
        await Expect(page.Locator("#signin-error")).ToContainTextAsync("Too many failed attempts");
    }

    [ChromiumFact]
    public async Task TheSeedsWpExample_FilledInAndSaved_ShowsTheConfirmation_AndIsStored()
    {
        var page = await ui.NewPageAsync();
        await UiServer.SignInAsync(page, ui.AdminEmail, ui.AdminPassword);
        await page.GotoAsync("/settings/server");

        // Jan Kowalski, exactly as the Comarch DMS help page fills the "Ustawienia konta pocztowego" section.
        await page.GetByLabel("Enable sending e-mail").SelectOptionAsync("true");
        await page.GetByLabel("Account name").FillAsync("Comarch DMS");
        await page.GetByLabel("E-mail (outgoing)").FillAsync("jankowalski@wp.pl");
        await page.GetByLabel("Display name").FillAsync("Comarch DMS – powiadomienia");
        await page.GetByLabel("Reply-to address").FillAsync("jankowalski@wp.pl");
        await page.GetByLabel("Description").FillAsync("Konto do wysyłania powiadomień Comarch DMS");
        await Expect(page.GetByLabel("Server type")).ToHaveValueAsync("SMTP");
        await Expect(page.GetByLabel("Server type")).ToHaveAttributeAsync("readonly", "");
        await page.GetByLabel("Message sender").SelectOptionAsync("OwnSmtp");
        await page.GetByLabel("Server name").FillAsync("smtp.wp.pl");
        await page.GetByLabel("Port", new() { Exact = true }).FillAsync("587");
        await page.GetByLabel("Encryption method").SelectOptionAsync("Auto");
        await page.GetByLabel("Authentication method").SelectOptionAsync("Password");
        await Expect(page.GetByLabel("Password", new() { Exact = true })).ToBeVisibleAsync();
        await page.GetByLabel("Login", new() { Exact = true }).FillAsync("jankowalski");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("Konwalia369!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.Locator("#saved")).ToHaveTextAsync("Settings saved.");
        // The password is never rendered back; the page says one is stored.
        await Expect(page.GetByLabel("Password", new() { Exact = true })).ToHaveValueAsync("");
        await Expect(page.Locator("#help-password")).ToContainTextAsync("A password is stored.");
        Assert.DoesNotContain("Konwalia369!", await page.ContentAsync(), StringComparison.Ordinal);
        await UiServer.ScreenshotAsync(page, "mail-server-tab-saved");

        var stored = await ui.AdminApi.GetFromJsonAsync<JsonElement>("/api/settings/global");
        Assert.Equal("smtp.wp.pl", stored.GetProperty("host").GetString());
        Assert.Equal(587, stored.GetProperty("port").GetInt32());
        Assert.Equal("auto", stored.GetProperty("encryption").GetString());
        Assert.Equal("jankowalski", stored.GetProperty("login").GetString());
        Assert.True(stored.GetProperty("hasPassword").GetBoolean());
    }

    [ChromiumFact]
    public async Task Port2525_InPolish_ShowsTheReasonNextToThePortInPolish_AndSavesNothing()
    {
        (await ui.AdminApi.PutAsJsonAsync("/api/settings/global", new { host = "smtp.wp.pl", port = 587, encryption = "auto", accountName = "Comarch DMS" }))
            .EnsureSuccessStatusCode();
        var page = await ui.NewPageAsync();
        await UiServer.SignInAsync(page, ui.AdminEmail, ui.AdminPassword);
        await page.GotoAsync("/settings/server");
        await page.GetByLabel("Language").SelectOptionAsync("pl");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Serwer pocztowy");

        await page.GetByLabel("Nazwa konta").FillAsync("Zmienione konto");
        await page.GetByLabel("Port", new() { Exact = true }).FillAsync("2525");
        await page.GetByRole(AriaRole.Button, new() { Name = "Zapisz" }).ClickAsync();

        var portError = page.Locator("#err-port");
        await Expect(portError).ToBeVisibleAsync();
        await Expect(portError).ToContainTextAsync("2525");
        await Expect(page.Locator("#invalid")).ToContainTextAsync("Nic nie zostało zapisane");
        await Expect(page.GetByLabel("Port", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        // The error is tied to the port input for screen readers.
        Assert.Contains("err-port", await page.GetByLabel("Port", new() { Exact = true }).GetAttributeAsync("aria-describedby") ?? "", StringComparison.Ordinal);
        await Expect(page.Locator("#saved")).ToHaveCountAsync(0);
        await Expect(portError).ToContainTextAsync("nie jest dozwolony");
        await UiServer.ScreenshotAsync(page, "mail-server-tab-port-error-pl");

        var stored = await ui.AdminApi.GetFromJsonAsync<JsonElement>("/api/settings/global");
        Assert.Equal(587, stored.GetProperty("port").GetInt32());
        Assert.Equal("Comarch DMS", stored.GetProperty("accountName").GetString());
    }

    [ChromiumFact]
    public async Task TheChosenLanguage_IsRememberedAcrossPagesAndNewTabs()
    {
        var page = await ui.NewPageAsync();
        await UiServer.SignInAsync(page, ui.AdminEmail, ui.AdminPassword);
        await page.GotoAsync("/queue");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Queue");

        await page.GetByLabel("Language").SelectOptionAsync("pl");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Kolejka");

        var anotherTab = await page.Context.NewPageAsync();
        await anotherTab.GotoAsync("/settings/server");
        await Expect(anotherTab.GetByText("Ustawienia konta pocztowego")).ToBeVisibleAsync();
        await Expect(anotherTab.GetByLabel("Metoda szyfrowania")).ToBeVisibleAsync();
        Assert.Equal("pl", await anotherTab.Locator("html").GetAttributeAsync("lang"));

        await anotherTab.GetByLabel("Język").SelectOptionAsync("en");
        await Expect(anotherTab.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Queue");
    }

    [ChromiumFact]
    public async Task ChoosingAProvider_FillsServerPortAndEncryption_AndThePasswordFieldFollowsTheAuthenticationMethod()
    {
        var page = await ui.NewPageAsync(new ViewportSize { Width = 390, Height = 844 });
        await UiServer.SignInAsync(page, ui.AdminEmail, ui.AdminPassword);
        await page.GotoAsync("/settings/server");

        await page.GetByLabel("Choose a provider").SelectOptionAsync("gmail");
        await Expect(page.GetByLabel("Server name")).ToHaveValueAsync("smtp.gmail.com");
        await Expect(page.GetByLabel("Port", new() { Exact = true })).ToHaveValueAsync("465");
        await Expect(page.GetByLabel("Encryption method")).ToHaveValueAsync("SslTls");
        await Expect(page.Locator("[data-provider-hint]")).ToContainTextAsync("app password");

        await page.GetByLabel("Authentication method").SelectOptionAsync("None");
        await Expect(page.GetByLabel("Password", new() { Exact = true })).ToBeHiddenAsync();
        await page.GetByLabel("Authentication method").SelectOptionAsync("Password");
        await Expect(page.GetByLabel("Password", new() { Exact = true })).ToBeVisibleAsync();

        // Phone width: nothing wider than the screen.
        var tooWide = await page.EvaluateAsync<string[]>("""
            [...document.querySelectorAll("body *")]
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
              .map(e => e.tagName + "#" + e.id + "." + e.className)
            """);
        Assert.True(tooWide.Length == 0, "Wider than a 390 px phone: " + string.Join(", ", tooWide));
        await UiServer.ScreenshotAsync(page, "mail-server-tab-phone");
    }
}
