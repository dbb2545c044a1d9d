using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Xunit.Abstractions;

namespace Mailroom.Server.Tests.Hardening;

/// <summary>
/// Every API operation in /openapi/v1.json (so endpoints added later are covered without editing
/// this file) gets malformed JSON, invalid UTF-8, oversized bodies (declared and streamed), and
/// bodies generated from its schema with CR/LF, NUL, IDN and SMTPUTF8 addresses, huge lists and
/// out-of-range numbers. Each must be a clear 4xx ProblemDetails or a success — never a 5xx — and
/// afterwards the queue holds exactly the messages that were accepted, none with a line break in a
/// header field. Generated cases come from a seeded RNG: MAILROOM_FUZZ_SEED repeats a run,
/// MAILROOM_FUZZ_CASES sets how many per operation (docs/security.md: the longer run).
/// </summary>
public class InputFuzzTests(ITestOutputHelper output)
{
    private const long BodyLimit = 64 * 1024;

    private static readonly string[] NastyStrings =
    [
        "", " ", "a\r\nBcc: victim@evil.test", "line\nbreak", "nul\0byte", "\0", "tab\there", "\u202Eevil.exe",
        "użytkownik@exämple.pl", "jürgen@müller.de", "user@xn--mller-kva.de", "用户@例子.广告", "\"quoted local\"@example.com",
        "a@b", "@example.com", "x@[127.0.0.1]", "<script>alert(1)</script>", "'; DROP TABLE messages; --", "%0d%0aX-Injected: 1",
        "=?utf-8?b?SGVhZGVy?=", new string('a', 5000), new string('ł', 1200) + "@example.com", "\uD800", "\uFFFF", "smtp.example.com:25\r\n",
        "anna", "admin", "global", "../../etc/passwd",
    ];

    private static MailroomServerFactory Factory() => new(withBootstrapKey: true, configure: b =>
    {
        b.UseSetting("Mailroom:Limits:MaxRequestBodyBytes", BodyLimit.ToString());
        b.UseSetting("Mailroom:Limits:MaxUploadBytes", BodyLimit.ToString()); // the mailing upload's own limit, probed by the same bodies
        b.UseSetting("Mailroom:Delivery:WorkerEnabled", "false");
    });

    private sealed record Operation(string Method, string Path, JsonNode? BodySchema);

    [Fact]
    public async Task EveryOperation_SurvivesHostileInput_WithClearErrors_AndNothingHalfStored()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MAILROOM_FUZZ_SEED"), out var s) ? s : Random.Shared.Next();
        var casesPerOperation = int.TryParse(Environment.GetEnvironmentVariable("MAILROOM_FUZZ_CASES"), out var c) ? c : 12;
        output.WriteLine($"fuzz seed {seed} (MAILROOM_FUZZ_SEED={seed} repeats this run), {casesPerOperation} generated cases per operation");
        var random = new Random(seed);
        using var factory = Factory();
        var admin = factory.Admin();
        await factory.NewUserAsync("anna", "anna@firma.pl");
        var seedMessage = await admin.PostAsJsonAsync("/api/messages", new { to = new[] { "a@example.com" }, subject = "seed", text = "x" });
        var accepted = new HashSet<string> { (string)(await seedMessage.ReadJsonAsync())["id"]! };
        var document = await (await admin.GetAsync("/openapi/v1.json")).ReadJsonAsync();
        var operations = Operations(document).ToArray();
        Assert.True(operations.Length >= 20, $"the OpenAPI document lists only {operations.Length} operations");
        var failures = new List<string>();
        var sent = 0;

        async Task Send(Operation op, string label, HttpContent? content, Func<HttpResponseMessage, string, string?>? expect = null)
        {
            var url = Url(op.Path, accepted.First());
            using var request = new HttpRequestMessage(new HttpMethod(op.Method), url) { Content = content };
            request.Headers.AcceptLanguage.ParseAdd(random.Next(2) == 0 ? "pl" : "en");
            HttpResponseMessage response;
            try
            {
                response = await admin.SendAsync(request);
            }
            catch (Exception error)
            {
                failures.Add($"{op.Method} {url} [{label}]: the request threw {error.GetType().Name}: {error.Message}");
                return;
            }
            sent++;
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            if (status >= 500) failures.Add($"{op.Method} {url} [{label}]: {status} {Cut(body)}");
            else if (status >= 400 && status != 404 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{op.Method} {url} [{label}]: {status} without ProblemDetails ({response.Content.Headers.ContentType}) {Cut(body)}");
            else if (expect?.Invoke(response, body) is { } wrong) failures.Add($"{op.Method} {url} [{label}]: {wrong}");
            if (op.Method == "POST" && status == 202 && JsonNode.Parse(body)?["id"] is JsonValue id) accepted.Add((string)id!);
        }

        foreach (var op in operations.Where(o => o.Method is "POST" or "PUT" or "PATCH"))
        {
            foreach (var (label, json) in MalformedJson())
                await Send(op, label, Raw(json), (r, _) => (int)r.StatusCode is >= 400 and < 500 || (label is "null" or "empty" && r.IsSuccessStatusCode)
                    ? null : $"malformed JSON answered {(int)r.StatusCode}"); // "null" and "" are no body, fine where the body is optional
            await Send(op, "invalid UTF-8", new ByteArrayContent([(byte)'{', (byte)'"', (byte)'s', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, 0xFF, (byte)'"', (byte)'}'])
                { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
                (r, _) => (int)r.StatusCode is >= 400 and < 500 ? null : $"invalid UTF-8 answered {(int)r.StatusCode}");
            await Send(op, "oversized, declared", Raw("{\"subject\":\"" + new string('x', (int)BodyLimit) + "\"}"), ExpectTooLarge);
            await Send(op, "oversized, streamed", new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes("{\"subject\":\"" + new string('x', (int)BodyLimit) + "\"}")))
                { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }, ExpectTooLarge);
            if (op.BodySchema is null || op.Path.EndsWith("/check", StringComparison.Ordinal)) continue; // checks resolve host names: no DNS from tests
            for (var i = 0; i < casesPerOperation; i++)
                await Send(op, $"generated #{i}", Raw(Generate(op.BodySchema, document, random, depth: 0)!.ToJsonString()));
        }
        foreach (var op in operations.Where(o => o.Method is "GET" or "DELETE"))
            await Send(op, "plain", null);

        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} of {sent} requests went wrong:\n" + string.Join("\n", failures.Take(30)));
        // Nothing half-stored: the queue holds exactly the accepted messages, with no line break or NUL in a header field.
        var stats = await (await admin.GetAsync("/api/messages/stats")).ReadJsonAsync();
        Assert.Equal(accepted.Count, stats.AsObject().Sum(p => (int)p.Value!));
        foreach (var id in accepted)
        {
            var message = await (await admin.GetAsync($"/api/messages/{id}")).ReadJsonAsync();
            var headers = new[] { (string?)message["subject"] ?? "" }.Concat(message["to"]!.AsArray().Select(t => (string)t!))
                .Concat(message["cc"]!.AsArray().Select(t => (string)t!)).Concat(message["bcc"]!.AsArray().Select(t => (string)t!));
            Assert.All(headers, h => Assert.False(h.IndexOfAny(['\r', '\n', '\0']) >= 0, $"seed {seed}: message {id} stored a header field with CR/LF/NUL: {h}"));
        }
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/api/health")).StatusCode);
    }

    [Theory]
    [InlineData("en", "too large")]
    [InlineData("pl", "za duże")]
    public async Task OversizedSubmission_Is413_InTheCallersLanguage_NamingTheLimit(string language, string phrase)
    {
        using var factory = Factory();
        var attachment = Convert.ToBase64String(new byte[BodyLimit]);

        var response = await factory.Admin(language).PostAsJsonAsync("/api/messages",
            new { to = new[] { "a@example.com" }, subject = "big", text = "x", attachments = new[] { new { fileName = "a.bin", contentBase64 = attachment } } });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("request.tooLarge", (string?)problem["code"]);
        Assert.Contains(phrase, (string?)problem["title"]);
        Assert.Contains(BodyLimit.ToString(), (string?)problem["title"]);
        Assert.Contains("Mailroom:Limits:MaxRequestBodyBytes", (string?)problem["title"]);
        Assert.Equal(0, (await (await factory.Admin().GetAsync("/api/messages/stats")).ReadJsonAsync()).AsObject().Sum(p => (int)p.Value!));
    }

    [Fact]
    public async Task HugeRecipientList_IsAClear400_NamingTheField()
    {
        using var factory = new MailroomServerFactory(withBootstrapKey: true, b => b.UseSetting("Mailroom:Limits:MaxRecipients", "50"));
        var to = Enumerable.Range(0, 51).Select(i => $"r{i}@example.com").ToArray();

        var response = await factory.Admin().PostAsJsonAsync("/api/messages", new { to, subject = "many", text = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"to\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, (await (await factory.Admin().GetAsync("/api/messages/stats")).ReadJsonAsync()).AsObject().Sum(p => (int)p.Value!));
    }

    private static string? ExpectTooLarge(HttpResponseMessage response, string body) =>
        response.StatusCode == HttpStatusCode.RequestEntityTooLarge && body.Contains("request.tooLarge", StringComparison.Ordinal)
            ? null : $"oversized body answered {(int)response.StatusCode} {Cut(body)}";

    private static IEnumerable<(string Label, string Json)> MalformedJson() =>
    [
        ("truncated object", "{\"to\": [\"a@example.com\""), ("bare brace", "{"), ("not JSON", "to=a@example.com"), ("null", "null"),
        ("string", "\"text\""), ("array", "[1,2,3]"), ("trailing comma", "{\"subject\":\"x\",}"), ("NoSQL operator", "{\"to\":{\"$ne\":1}}"),
        ("deep nesting", new string('[', 5000) + new string(']', 5000)), ("number overflow", "{\"port\":1e400}"), ("empty", ""),
        ("duplicate keys", "{\"subject\":\"a\",\"subject\":\"b\"}"), ("lone surrogate escape", "{\"subject\":\"\\ud800\"}"),
    ];

    private static IEnumerable<Operation> Operations(JsonNode document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject())
            {
                if (method is "parameters" or "summary" or "description") continue;
                var schema = operation?["requestBody"]?["content"]?["application/json"]?["schema"];
                yield return new Operation(method.ToUpperInvariant(), path, schema);
            }
    }

    private static string Url(string path, string messageId) => path
        .Replace("{userId}", "anna", StringComparison.Ordinal)
        .Replace("{messageId}", messageId, StringComparison.Ordinal)
        .Replace("{keyId}", "no-such-key", StringComparison.Ordinal)
        is var url && url.Contains('{') ? System.Text.RegularExpressions.Regex.Replace(url, @"\{[^}]+\}", "fuzz%0D%0Aid") : url;

    private static StringContent Raw(string json) => new(json, new MediaTypeHeaderValue("application/json"));

    private static string Cut(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>A value for <paramref name="schema"/>: usually well-typed but hostile, sometimes the wrong type.</summary>
    private static JsonNode? Generate(JsonNode schema, JsonNode document, Random random, int depth)
    {
        if (schema["$ref"] is JsonValue reference)
            schema = document["components"]!["schemas"]![((string)reference!).Split('/')[^1]]!;
        var types = schema["type"] switch
        {
            JsonArray many => many.Select(t => (string)t!).ToArray(),
            JsonValue one => [(string)one!],
            _ => schema["properties"] is not null ? ["object"] : (schema["oneOf"] ?? schema["anyOf"]) is not null ? ["any"] : ["string"],
        };
        if (random.Next(12) == 0) return NastyScalar(random); // the wrong type now and then
        var type = types.Where(t => t != "null").DefaultIfEmpty("null").ElementAt(random.Next(Math.Max(1, types.Count(t => t != "null"))));
        if (types.Contains("null") && random.Next(6) == 0) return null;
        switch (type)
        {
            case "object" when depth < 4:
                var result = new JsonObject();
                foreach (var (name, property) in schema["properties"]?.AsObject() ?? new JsonObject())
                    if (random.Next(4) != 0) result[name] = Generate(property!, document, random, depth + 1);
                if (random.Next(10) == 0) result["unexpectedField"] = "x";
                return result;
            case "array" when depth < 4:
                var items = schema["items"] ?? new JsonObject { ["type"] = "string" };
                var count = random.Next(10) switch { 0 => 5000, 1 => 0, 2 => 501, _ => random.Next(1, 5) };
                var array = new JsonArray();
                for (var i = 0; i < count; i++)
                    array.Add(count > 100 ? JsonValue.Create($"r{i}@example.com") : Generate(items, document, random, depth + 1));
                return array;
            case "integer" or "number":
                return JsonValue.Create(random.Next(6) switch { 0 => -1, 1 => 0, 2 => int.MaxValue, 3 => 65536, 4 => 25, _ => random.Next(1, 70000) });
            case "boolean":
                return JsonValue.Create(random.Next(2) == 0);
            default:
                if (schema["enum"] is JsonArray options && options.Count > 0 && random.Next(3) != 0)
                    return options[random.Next(options.Count)]!.DeepClone();
                if (schema["format"] is JsonValue format && (string)format! == "date-time" && random.Next(2) == 0)
                    return JsonValue.Create(random.Next(2) == 0 ? "2026-13-45T99:99:99Z" : "9999-12-31T23:59:59Z");
                return JsonValue.Create(NastyStrings[random.Next(NastyStrings.Length)]);
        }
    }

    private static JsonNode? NastyScalar(Random random) => random.Next(5) switch
    {
        0 => JsonValue.Create(-2147483648L * 4),
        1 => JsonValue.Create(true),
        2 => new JsonObject { ["$ne"] = 1 },
        3 => new JsonArray("a\r\nb", null),
        _ => JsonValue.Create("\0"),
    };

    /// <summary>A body whose length is not declared, so it goes chunked and the limit must be enforced while reading.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
