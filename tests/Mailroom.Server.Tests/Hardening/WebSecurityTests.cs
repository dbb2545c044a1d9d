using Microsoft.AspNetCore.Hosting;
using System.Net;
using System.Net.Http.Json;

namespace Mailroom.Server.Tests.Hardening;

/// <summary>
/// The web UI's protections, checked on every page and form the signed-in administrator can reach
/// (found by following links, so new pages are covered without editing this file).
/// </summary>
public class WebSecurityTests
{
    internal const string AdminEmail = "ops@firma.pl";
    internal const string AdminPassword = "Sign-In-Secret-W4q9-Unique";

    internal static async Task<WebSession> SignedInAdminAsync(MailroomServerFactory factory, bool https = false)
    {
        (await factory.Admin().PostAsJsonAsync("/api/users",
            new { id = "ops", email = AdminEmail, role = "administrator", password = AdminPassword })).EnsureSuccessStatusCode();
        var session = new WebSession(factory, https);
        var signIn = await session.SignInAsync(AdminEmail, AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return session;
    }

    [Fact]
    public async Task EveryPage_CarriesCspFrameAncestorsAndNoSniff()
    {
        using var factory = new MailroomServerFactory();
        var session = await SignedInAdminAsync(factory);

        var pages = await session.CrawlAsync();

        Assert.True(pages.Count >= 6, $"expected the crawl to find the UI's pages, found: {string.Join(", ", pages.Keys)}");
        Assert.All(pages, page =>
        {
            var headers = page.Value.Response.Headers;
            var csp = Assert.Single(headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("default-src 'self'", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.Equal("nosniff", Assert.Single(headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("DENY", Assert.Single(headers.GetValues("X-Frame-Options")));
            Assert.True((int)page.Value.Status < 500, $"{page.Key} answered {page.Value.Status}");
        });
    }

    [Fact]
    public async Task ApiAnswers_AreNotSniffedNorCached()
    {
        using var factory = new MailroomServerFactory();
        foreach (var url in new[] { "/api/users/me", "/api/health", "/api/does-not-exist" })
        {
            var response = await factory.Admin().GetAsync(url);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        }
    }

    [Fact]
    public async Task EveryForm_PostedWithoutItsAntiforgeryToken_IsRefused()
    {
        using var factory = new MailroomServerFactory();
        await factory.NewUserAsync("anna", "anna@firma.pl"); // so the per-user settings pages exist
        var session = await SignedInAdminAsync(factory);
        var forms = WebSession.FormsIn(await session.CrawlAsync());

        Assert.True(forms.Count >= 5, $"expected the crawl to find the UI's forms, found {forms.Count}");
        Assert.All(forms, form => Assert.True(form.HasAntiforgeryToken, $"the form on {form.Page} posting to {form.Action} has no anti-forgery token"));
        foreach (var form in forms.DistinctBy(f => f.Action + string.Join(",", f.Fields.Keys)))
        {
            var withoutToken = form.Fields.Where(f => f.Key != WebSession.TokenField).ToDictionary();
            var response = await session.Http.PostAsync(form.Action, new FormUrlEncodedContent(withoutToken));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest,
                $"POST {form.Action} (form on {form.Page}) without the token answered {(int)response.StatusCode}, expected 400");
        }
    }

    [Fact]
    public async Task EveryForm_WithHostileValuesInEveryField_AnswersWithoutAServerError()
    {
        using var factory = new MailroomServerFactory(withBootstrapKey: true, b =>
        {
            b.UseSetting("Mailroom:Limits:MaxRequestBodyBytes", "65536");
            b.UseSetting("Mailroom:Limits:MaxUploadBytes", "65536"); // the mailing form's own limit
        });
        await factory.NewUserAsync("anna", "anna@firma.pl");
        var session = await SignedInAdminAsync(factory);
        var forms = WebSession.FormsIn(await session.CrawlAsync()).Where(f => !f.Action.StartsWith("/signout", StringComparison.OrdinalIgnoreCase))
            .DistinctBy(f => f.Action + string.Join(",", f.Fields.Keys)).ToArray();
        string[] hostile = ["a\r\nBcc: victim@evil.test", "nul\0byte", "użytkownik@exämple.pl", new string('x', 5000), "-1", "99999999999", "<script>x</script>", ""];
        var failures = new List<string>();

        foreach (var form in forms)
        {
            foreach (var value in hostile)
            {
                var fields = form.Fields.ToDictionary(f => f.Key, f => f.Key == WebSession.TokenField ? f.Value : value);
                var response = await session.Http.PostAsync(form.Action, new FormUrlEncodedContent(fields));
                if ((int)response.StatusCode >= 500) failures.Add($"{form.Action} with {value[..Math.Min(20, value.Length)]}: {(int)response.StatusCode}");
            }
            var token = form.Fields.GetValueOrDefault(WebSession.TokenField, "");
            // The page itself, posted with a valid token but no handler (a crafted request).
            var pagePath = form.Action.Split('?')[0];
            var bare = await session.Http.PostAsync(pagePath, new FormUrlEncodedContent(new Dictionary<string, string> { [WebSession.TokenField] = token }));
            if ((int)bare.StatusCode >= 500) failures.Add($"{pagePath} with no handler: {(int)bare.StatusCode}");
            var invalidUtf8 = new ByteArrayContent([.. System.Text.Encoding.ASCII.GetBytes($"{WebSession.TokenField}={Uri.EscapeDataString(token)}&x="), 0xC3, 0x28, 0xFF]);
            invalidUtf8.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
            var broken = await session.Http.PostAsync(form.Action, invalidUtf8);
            if ((int)broken.StatusCode >= 500) failures.Add($"{form.Action} with invalid UTF-8: {(int)broken.StatusCode}");
            var oversized = await session.Http.PostAsync(form.Action, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [WebSession.TokenField] = token, ["x"] = new string('x', 70_000),
            }));
            if (oversized.StatusCode != HttpStatusCode.RequestEntityTooLarge) failures.Add($"{form.Action} oversized: {(int)oversized.StatusCode}, expected 413");
        }

        Assert.True(forms.Length >= 5, $"expected the crawl to find the UI's forms, found {forms.Length}");
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\nfirst server error: " +
            factory.LogLines.FirstOrDefault(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/api/health")).StatusCode);
    }

    [Fact]
    public async Task SessionCookie_IsHttpOnlyStrictAndSecureOverHttps()
    {
        using var factory = new MailroomServerFactory();
        (await factory.Admin().PostAsJsonAsync("/api/users",
            new { id = "ops", email = AdminEmail, role = "administrator", password = AdminPassword })).EnsureSuccessStatusCode();
        var session = new WebSession(factory, https: true);

        var signIn = await session.SignInAsync(AdminEmail, AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("mailroom-session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PasswordGuessing_IsThrottled_EvenTheRightPasswordWaits()
    {
        using var factory = new MailroomServerFactory();
        (await factory.Admin().PostAsJsonAsync("/api/users",
            new { id = "ops", email = AdminEmail, role = "administrator", password = AdminPassword })).EnsureSuccessStatusCode();
        var session = new WebSession(factory);

        for (var i = 0; i < WebUi.SignInThrottle.MaxFailures; i++)
            Assert.NotEqual(HttpStatusCode.Redirect, (await session.SignInAsync(AdminEmail, $"wrong-guess-{i}")).StatusCode);
        var right = await session.SignInAsync(AdminEmail, AdminPassword);

        Assert.NotEqual(HttpStatusCode.Redirect, right.StatusCode);
        Assert.DoesNotContain(right.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("mailroom-session=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Session_ExpiresAfterTheConfiguredIdleTime()
    {
        using var factory = new MailroomServerFactory(withBootstrapKey: true,
            b => b.UseSetting("Mailroom:Security:SessionTimeout", "00:00:02"));
        var session = await SignedInAdminAsync(factory);
        Assert.False(SentToSignIn(await session.Http.GetAsync("/queue")), "signed in, yet sent to /signin");

        await Task.Delay(TimeSpan.FromSeconds(3.5));

        Assert.True(SentToSignIn(await session.Http.GetAsync("/queue")), "the session outlived Mailroom:Security:SessionTimeout");
    }

    private static bool SentToSignIn(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.Redirect) return false;
        var location = response.Headers.Location!;
        return (location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString).StartsWith("/signin", StringComparison.OrdinalIgnoreCase);
    }
}
