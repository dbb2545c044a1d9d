using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Mailroom.Core.Delivery.ConnectionCheck;
using Mailroom.Core.Mail;
using Mailroom.Core.Settings;

namespace Mailroom.Client;

/// <summary>What <c>GET /api/health</c> answers.</summary>
/// <param name="Status">"healthy" or "unhealthy".</param>
/// <param name="Storage">The backend and its schema version.</param>
public sealed record HealthView(string Status, StorageHealthView Storage);

/// <summary>The storage part of <see cref="HealthView"/>.</summary>
/// <param name="Provider">"sqlite" or "postgresql".</param>
/// <param name="SchemaVersion">The schema version the database is at.</param>
public sealed record StorageHealthView(string Provider, int? SchemaVersion);

/// <summary>
/// Typed access to Mailroom's HTTP API (see docs/api.md) for remote use: scripts, the
/// <c>mailroom</c> CLI, other applications. Errors arrive as <see cref="MailroomApiException"/>
/// (the server said no, with its reason) or <see cref="MailroomUnreachableException"/>.
/// The API key travels only in the Authorization header.
/// </summary>
public sealed class MailroomClient : IDisposable
{
    /// <summary>JSON as the API speaks it: camelCase, enums as camelCase strings.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>A client for <paramref name="server"/> authenticating with <paramref name="apiKey"/>.</summary>
    /// <param name="server">The server's base address, e.g. <c>http://127.0.0.1:5080</c>.</param>
    /// <param name="apiKey">The caller's API key; null for anonymous calls (health only).</param>
    /// <param name="language">"en" or "pl": the language of the server's messages.</param>
    public MailroomClient(Uri server, string? apiKey, string language = "en")
        : this(new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(100) }, apiKey, language)
    {
        _ownsHttp = true;
    }

    /// <summary>A client over an <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is the server (e.g. from IHttpClientFactory).</summary>
    public MailroomClient(HttpClient http, string? apiKey, string language = "en")
    {
        _http = http;
        if (http.BaseAddress is null) throw new ArgumentException("The HttpClient needs a BaseAddress (the Mailroom server).", nameof(http));
        if (apiKey is not null) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        _http.DefaultRequestHeaders.AcceptLanguage.Clear();
        _http.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
    }

    /// <summary>The server's address.</summary>
    public Uri Server => _http.BaseAddress!;

    /// <summary>Whether the server and its storage answer (anonymous).</summary>
    public Task<HealthView> GetHealthAsync(CancellationToken cancellationToken = default) =>
        SendAsync<HealthView>(HttpMethod.Get, "api/health", null, cancellationToken);

    /// <summary>The caller.</summary>
    public Task<UserView> GetMeAsync(CancellationToken cancellationToken = default) =>
        SendAsync<UserView>(HttpMethod.Get, "api/users/me", null, cancellationToken);

    /// <summary>A stored profile: the global one (<paramref name="userId"/> null, administrators) or a user's own.</summary>
    public Task<SenderProfileView> GetSettingsAsync(string? userId, CancellationToken cancellationToken = default) =>
        SendAsync<SenderProfileView>(HttpMethod.Get, SettingsPath(userId), null, cancellationToken);

    /// <summary>Replaces a profile (all or nothing); a refusal names each field.</summary>
    public Task<SettingsSavedView> PutSettingsAsync(string? userId, SenderProfileInput profile, CancellationToken cancellationToken = default) =>
        SendAsync<SettingsSavedView>(HttpMethod.Put, SettingsPath(userId), profile, cancellationToken);

    /// <summary>Effective settings, each value with its source: global (null) or a user's.</summary>
    public Task<EffectiveSettingsView> GetEffectiveSettingsAsync(string? userId, CancellationToken cancellationToken = default) =>
        SendAsync<EffectiveSettingsView>(HttpMethod.Get, SettingsPath(userId) + "/effective", null, cancellationToken);

    /// <summary>The step-by-step connection check of the stored profile (or <paramref name="unsaved"/>); sends nothing.</summary>
    public Task<LocalizedConnectionCheck> CheckConnectionAsync(string? userId, SenderProfileInput? unsaved = null, CancellationToken cancellationToken = default) =>
        SendAsync<LocalizedConnectionCheck>(HttpMethod.Post, SettingsPath(userId) + "/check", unsaved, cancellationToken);

    /// <summary>Queues a test message at top priority through the global profile (null) or a user's settings.</summary>
    public Task<MessageAcceptedView> SendTestMessageAsync(string? userId, TestMessageInput message, CancellationToken cancellationToken = default) =>
        SendAsync<MessageAcceptedView>(HttpMethod.Post, userId is null ? "api/settings/global/test-message" : $"api/users/{Escape(userId)}/test-message", message, cancellationToken);

    /// <summary>Submits a message; it is stored durably before this returns.</summary>
    public Task<MessageAcceptedView> SubmitAsync(SubmitMessageInput message, CancellationToken cancellationToken = default) =>
        SendAsync<MessageAcceptedView>(HttpMethod.Post, "api/messages", message, cancellationToken);

    /// <summary>A message with its history.</summary>
    public Task<MessageView> GetMessageAsync(string messageId, CancellationToken cancellationToken = default) =>
        SendAsync<MessageView>(HttpMethod.Get, $"api/messages/{Escape(messageId)}", null, cancellationToken);

    /// <summary>One page of messages, newest first.</summary>
    public Task<MessageListView> ListMessagesAsync(MessageStatus? status = null, string? senderUserId = null, int? limit = null, string? cursor = null,
        CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (status is { } s) query.Add("status=" + s.Name());
        if (senderUserId is not null) query.Add("senderUserId=" + Escape(senderUserId));
        if (limit is not null) query.Add("limit=" + limit);
        if (cursor is not null) query.Add("cursor=" + Escape(cursor));
        return SendAsync<MessageListView>(HttpMethod.Get, "api/messages" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), null, cancellationToken);
    }

    /// <summary>Queues a failed, deferred, held or cancelled message again (administrators).</summary>
    public Task<MessageView> RetryMessageAsync(string messageId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync<MessageView>(HttpMethod.Post, $"api/messages/{Escape(messageId)}/retry", new MessageActionInput(reason), cancellationToken);

    /// <summary>Cancels a queued, deferred or held message (administrators).</summary>
    public Task<MessageView> CancelMessageAsync(string messageId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendAsync<MessageView>(HttpMethod.Post, $"api/messages/{Escape(messageId)}/cancel", new MessageActionInput(reason), cancellationToken);

    /// <summary>Every user (administrators).</summary>
    public Task<IReadOnlyList<UserView>> ListUsersAsync(CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<UserView>>(HttpMethod.Get, "api/users", null, cancellationToken);

    /// <summary>Adds a user; their first API key is in the answer, shown this once.</summary>
    public Task<UserCreatedView> AddUserAsync(CreateUserInput user, CancellationToken cancellationToken = default) =>
        SendAsync<UserCreatedView>(HttpMethod.Post, "api/users", user, cancellationToken);

    /// <summary>A user's keys, without secrets.</summary>
    public Task<IReadOnlyList<ApiKeyView>> ListApiKeysAsync(string userId, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<ApiKeyView>>(HttpMethod.Get, $"api/users/{Escape(userId)}/api-keys", null, cancellationToken);

    /// <summary>A new API key for <paramref name="userId"/>, shown this once.</summary>
    public Task<ApiKeyCreatedView> CreateApiKeyAsync(string userId, string name, CancellationToken cancellationToken = default) =>
        SendAsync<ApiKeyCreatedView>(HttpMethod.Post, $"api/users/{Escape(userId)}/api-keys", new CreateApiKeyInput(name), cancellationToken);

    /// <summary>Revokes a key at once.</summary>
    public Task RevokeApiKeyAsync(string userId, string keyId, CancellationToken cancellationToken = default) =>
        SendAsync<object?>(HttpMethod.Delete, $"api/users/{Escape(userId)}/api-keys/{Escape(keyId)}", null, cancellationToken);

    /// <summary>
    /// One page of the events log, oldest first after <paramref name="after"/> (the last event id read; 0 or null: from the start).
    /// Pass <see cref="EventListView.Next"/> back as <paramref name="after"/> to read on, or to poll for new events.
    /// </summary>
    /// <param name="type">One event type or a comma-separated list, e.g. <c>message.sent,message.failed</c>.</param>
    /// <param name="messageId">Only this message's events.</param>
    /// <param name="userId">Only this user's events (administrators; a user sees only their own).</param>
    /// <param name="since">From this time (inclusive).</param>
    /// <param name="until">Before this time (exclusive).</param>
    /// <param name="after">The cursor.</param>
    /// <param name="limit">1–500, default 100.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<EventListView> ListEventsAsync(string? type = null, string? messageId = null, string? userId = null, DateTimeOffset? since = null,
        DateTimeOffset? until = null, long? after = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (type is not null) query.Add("type=" + Escape(type));
        if (messageId is not null) query.Add("messageId=" + Escape(messageId));
        if (userId is not null) query.Add("userId=" + Escape(userId));
        if (since is { } from) query.Add("since=" + Escape(from.ToString("O")));
        if (until is { } to) query.Add("until=" + Escape(to.ToString("O")));
        if (after is not null) query.Add("after=" + after);
        if (limit is not null) query.Add("limit=" + limit);
        return SendAsync<EventListView>(HttpMethod.Get, "api/events" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), null, cancellationToken);
    }

    /// <summary>The settings to use for <paramref name="email"/>: the provider catalog, the MX hint, then (unless <paramref name="detect"/> is false) probing the server.</summary>
    public Task<PresetLookupView> LookupPresetAsync(string email, bool detect = true, CancellationToken cancellationToken = default) =>
        SendAsync<PresetLookupView>(HttpMethod.Get, $"api/presets/lookup?email={Escape(email)}&detect={(detect ? "true" : "false")}", null, cancellationToken);

    /// <summary>Starts a device-code OAuth2 sign-in for a profile: the answer says which code to type where.</summary>
    /// <param name="provider">"microsoft365" or "google".</param>
    /// <param name="scope">"global" (administrators), "me", or "user:&lt;id&gt;".</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<DeviceStartView> StartDeviceSignInAsync(string provider, string scope, CancellationToken cancellationToken = default) =>
        SendAsync<DeviceStartView>(HttpMethod.Post, "api/oauth/device/start", new DeviceStartRequest(provider, scope), cancellationToken);

    /// <summary>Asks once whether a device-code sign-in finished ("pending" or "done"); when done the sign-in is stored.</summary>
    public Task<DevicePollView> PollDeviceSignInAsync(string handle, CancellationToken cancellationToken = default) =>
        SendAsync<DevicePollView>(HttpMethod.Post, "api/oauth/device/poll", new DevicePollRequest(handle), cancellationToken);

    /// <summary>
    /// Sends a request and reads the answer as <typeparamref name="T"/>; for endpoints this class
    /// has no method for yet. <paramref name="path"/> is relative to the server, e.g. <c>api/messages/stats</c>.
    /// </summary>
    public async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new MailroomUnreachableException(Server, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MailroomUnreachableException(Server, new TimeoutException("no answer in time", ex));
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NoContent || typeof(T) == typeof(object)) return default!;
            return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
        }
    }

    private static async Task<MailroomApiException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string? title = null, code = null;
        var issues = new List<IssueView>();
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.TryGetProperty("title", out var t)) title = t.GetString();
            if (root.TryGetProperty("code", out var c)) code = c.GetString();
            if (root.TryGetProperty("issues", out var list))
                issues.AddRange(list.Deserialize<IssueView[]>(Json) ?? []);
        }
        catch (JsonException) { }
        title ??= response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "The API key is missing, unknown or revoked.",
            HttpStatusCode.Forbidden => "This API key may not do that.",
            _ => $"The server answered {(int)response.StatusCode} {response.ReasonPhrase}.",
        };
        return new MailroomApiException(response.StatusCode, title, code, issues);
    }

    private static string SettingsPath(string? userId) => userId is null ? "api/settings/global" : $"api/users/{Escape(userId)}/settings";

    private static string Escape(string value) => Uri.EscapeDataString(value);

    /// <summary>Disposes the HttpClient when this client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}
