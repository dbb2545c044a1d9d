using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mailroom.Ui.Tests;

/// <summary>Labels for every control, and the keyboard alone is enough.</summary>
[Collection(UiCollection.Name)]
public sealed class AccessibilityTests(UiServer ui)
{
    [ChromiumFact]
    public async Task EveryControlOnTheMainPages_HasALabel_InBothLanguages()
    {
        var page = await ui.NewPageAsync();
        await UiServer.SignInAsync(page, ui.AdminEmail, ui.AdminPassword);
        foreach (var language in new[] { "en", "pl" })
        {
            await page.Locator("#language-choice").SelectOptionAsync(language);
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
            foreach (var path in new[] { "/settings/server", "/settings/mine", "/admin", "/queue", "/events", "/admin/webhooks" })
            {
                await page.GotoAsync(path);
                var unlabelled = await page.EvaluateAsync<string[]>("""
                    [...document.querySelectorAll("input:not([type=hidden]), select, textarea, button")]
                      .filter(e => e.tagName === "BUTTON" ? !e.textContent.trim() : (e.labels?.length ?? 0) === 0 && !e.getAttribute("aria-label"))
                      .map(e => e.outerHTML.slice(0, 80))
                    """);
                Assert.True(unlabelled.Length == 0, $"{path} ({language}) has controls without a label: {string.Join(" | ", unlabelled)}");
            }
        }
    }

    [ChromiumFact]
    public async Task SigningInAndSaving_WorkWithTheKeyboardAlone()
    {
        var page = await ui.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByText("Skip to content")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        // From the main content on, Tab reaches the address, then the password; Enter submits.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("#email")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(ui.AdminEmail);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("#password")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(ui.AdminPassword);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/settings/server*"); // "#main" from the skip link stays on the URL

        // The Save button is the first thing after the skip link's target: Enter on it saves.
        await page.Locator("#f-accountName").FocusAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Shift+Tab");
        await Expect(page.Locator("#check")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        await Expect(page.Locator("#save")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#saved")).ToBeVisibleAsync();
    }
}
