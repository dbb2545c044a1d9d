using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Mailroom.Server.Tests.Hardening;

/// <summary>A form found on a page: where it posts and the fields it carries (hidden values kept).</summary>
internal sealed record PageForm(string Page, string Action, IReadOnlyDictionary<string, string> Fields)
{
    public bool HasAntiforgeryToken => Fields.ContainsKey(WebSession.TokenField);
}

/// <summary>
/// A browser-like client for the web UI in memory: keeps cookies, does not follow redirects (so
/// tests see them), signs in through the real form, and finds every page and form by following links.
/// </summary>
internal sealed partial class WebSession(MailroomServerFactory factory, bool https = false)
{
    public const string TokenField = "__RequestVerificationToken";

    public HttpClient Http { get; } = factory.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri(https ? "https://localhost" : "http://localhost"),
    });

    /// <summary>Signs in through /signin; returns the POST's response (302 on success).</summary>
    public async Task<HttpResponseMessage> SignInAsync(string email, string password)
    {
        var page = await Http.GetStringAsync("/signin");
        return await Http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [TokenField] = TokenIn(page), ["email"] = email, ["password"] = password, ["returnUrl"] = "/",
        }));
    }

    /// <summary>Every page reachable by links from <paramref name="start"/> (same site, GET, at most <paramref name="max"/>), with its response.</summary>
    public async Task<IReadOnlyDictionary<string, (HttpStatusCode Status, string Body, HttpResponseMessage Response)>> CrawlAsync(string start = "/", int max = 40)
    {
        var seen = new Dictionary<string, (HttpStatusCode, string, HttpResponseMessage)>(StringComparer.Ordinal);
        var pending = new Queue<string>([start, "/signin", "/forbidden"]);
        while (pending.Count > 0 && seen.Count < max)
        {
            var url = pending.Dequeue();
            if (seen.ContainsKey(url)) continue;
            var response = await Http.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            seen[url] = (response.StatusCode, body, response);
            foreach (Match link in Href().Matches(body))
            {
                var href = WebUtility.HtmlDecode(link.Groups["u"].Value);
                if (!href.StartsWith('/') || href.StartsWith("//", StringComparison.Ordinal) || href.StartsWith("/signout", StringComparison.OrdinalIgnoreCase)
                    || href.StartsWith("/ui/", StringComparison.Ordinal) || href.StartsWith("/api/", StringComparison.Ordinal)) continue;
                if (!seen.ContainsKey(href)) pending.Enqueue(href);
            }
        }
        return seen;
    }

    /// <summary>Every POST form on the pages given.</summary>
    public static IReadOnlyList<PageForm> FormsIn(IReadOnlyDictionary<string, (HttpStatusCode Status, string Body, HttpResponseMessage Response)> pages) =>
        pages.SelectMany(page => FormsIn(page.Key, page.Value.Body)).ToArray();

    public static IEnumerable<PageForm> FormsIn(string pageUrl, string html)
    {
        foreach (Match form in Form().Matches(html))
        {
            var attributes = form.Groups["a"].Value;
            if (!Regex.IsMatch(attributes, @"method\s*=\s*""post""", RegexOptions.IgnoreCase)) continue;
            var action = Regex.Match(attributes, @"action\s*=\s*""(?<u>[^""]*)""", RegexOptions.IgnoreCase) is { Success: true } m
                ? WebUtility.HtmlDecode(m.Groups["u"].Value) : pageUrl;
            if (action.Length == 0) action = pageUrl;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match input in Field().Matches(form.Groups["body"].Value))
            {
                var tag = input.Value;
                var name = Regex.Match(tag, @"name\s*=\s*""(?<n>[^""]+)""") is { Success: true } n ? WebUtility.HtmlDecode(n.Groups["n"].Value) : null;
                if (name is null || fields.ContainsKey(name)) continue;
                var value = Regex.Match(tag, @"value\s*=\s*""(?<v>[^""]*)""") is { Success: true } v ? WebUtility.HtmlDecode(v.Groups["v"].Value) : "";
                fields[name] = value;
            }
            // A form may also be submitted by a named button (handler): keep it as a field.
            foreach (Match button in Regex.Matches(form.Groups["body"].Value, @"<button[^>]*name=""(?<n>[^""]+)""[^>]*value=""(?<v>[^""]*)""", RegexOptions.IgnoreCase))
                fields.TryAdd(WebUtility.HtmlDecode(button.Groups["n"].Value), WebUtility.HtmlDecode(button.Groups["v"].Value));
            yield return new PageForm(pageUrl, action, fields);
        }
    }

    public static string TokenIn(string html) =>
        Regex.Match(html, @"name=""__RequestVerificationToken""[^>]*value=""(?<t>[^""]+)""") is { Success: true } m
            ? m.Groups["t"].Value
            : throw new InvalidOperationException("The page has no anti-forgery token.");

    [GeneratedRegex(@"href\s*=\s*""(?<u>[^""#]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex Href();

    [GeneratedRegex(@"<form(?<a>[^>]*)>(?<body>.*?)</form>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Form();

    [GeneratedRegex(@"<(input|select|textarea)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Field();
}
