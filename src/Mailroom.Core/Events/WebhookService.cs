using Mailroom.Core.Security;
using Mailroom.Core.Settings.Validation;

namespace Mailroom.Core.Events;

/// <summary>What an administrator sends to register or change a webhook.</summary>
/// <param name="Url">Where to POST (http or https).</param>
/// <param name="EventTypes">Types to receive: exact names, <c>prefix.*</c> or <c>*</c>.</param>
/// <param name="Enabled">Whether to deliver (default true).</param>
public sealed record WebhookInput(string? Url, IReadOnlyList<string>? EventTypes, bool? Enabled);

/// <summary>A registered endpoint with its secret in clear: returned once, at creation.</summary>
public sealed record CreatedWebhook(WebhookEndpoint Endpoint, string Secret);

/// <summary>The outcome of a save: the endpoint, or the issues that stopped it (nothing saved).</summary>
public sealed record WebhookSaveOutcome(WebhookEndpoint? Endpoint, string? Secret, IReadOnlyList<ValidationIssue> Issues);

/// <summary>Registers, changes and removes webhook endpoints: validation, secret generation and encryption.</summary>
public sealed class WebhookService(IWebhookStore store, ISecretProtector protector, TimeProvider clock)
{
    /// <summary>Code: the URL is missing.</summary>
    public const string UrlRequired = "webhook.url.required";

    /// <summary>Code: the URL does not parse as an absolute URL.</summary>
    public const string UrlInvalid = "webhook.url.invalid";

    /// <summary>Code: the scheme is not http or https.</summary>
    public const string UrlScheme = "webhook.url.scheme";

    /// <summary>Code: the URL carries a user name or password.</summary>
    public const string UrlCredentials = "webhook.url.credentials";

    /// <summary>Code: no event type chosen.</summary>
    public const string TypesRequired = "webhook.eventTypes.required";

    /// <summary>Code: an event type is not a name, <c>prefix.*</c> or <c>*</c>.</summary>
    public const string TypeInvalid = "webhook.eventTypes.invalid";

    /// <summary>The issues with <paramref name="input"/>, each naming its field.</summary>
    public static IReadOnlyList<ValidationIssue> Validate(WebhookInput input)
    {
        var issues = new List<ValidationIssue>();
        var url = input.Url?.Trim();
        if (string.IsNullOrEmpty(url)) issues.Add(Error("url", UrlRequired, null));
        else if (url.Length > 2000 || url.Any(char.IsControl) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            issues.Add(Error("url", UrlInvalid, url));
        else if (uri.Scheme is not ("http" or "https")) issues.Add(Error("url", UrlScheme, uri.Scheme));
        else if (string.IsNullOrEmpty(uri.Host)) issues.Add(Error("url", UrlInvalid, url));
        else if (!string.IsNullOrEmpty(uri.UserInfo)) issues.Add(Error("url", UrlCredentials, null));
        if (input.EventTypes is not { Count: > 0 }) issues.Add(Error("eventTypes", TypesRequired, null));
        else
        {
            for (var i = 0; i < input.EventTypes.Count; i++)
            {
                if (!EventTypes.IsValidPattern(input.EventTypes[i])) issues.Add(Error($"eventTypes[{i}]", TypeInvalid, input.EventTypes[i]));
            }
        }
        return issues;
    }

    /// <summary>Registers an endpoint with a new secret, returned in clear only here.</summary>
    public async Task<WebhookSaveOutcome> CreateAsync(WebhookInput input, CancellationToken cancellationToken = default)
    {
        var issues = Validate(input);
        if (issues.Count > 0) return new(null, null, issues);
        var now = clock.GetUtcNow();
        var secret = WebhookSignature.NewSecret();
        var endpoint = new WebhookEndpoint
        {
            Id = Guid.CreateVersion7(now).ToString("N"),
            Url = input.Url!.Trim(),
            EventTypes = input.EventTypes!.Distinct(StringComparer.Ordinal).ToArray(),
            Enabled = input.Enabled ?? true,
            ProtectedSecret = protector.Protect(secret),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await store.AddEndpointAsync(endpoint, cancellationToken);
        return new(endpoint, secret, []);
    }

    /// <summary>Changes URL, types and switch; the secret stays. Null endpoint and no issues: no such endpoint.</summary>
    public async Task<WebhookSaveOutcome> UpdateAsync(string id, WebhookInput input, CancellationToken cancellationToken = default)
    {
        var existing = await store.GetEndpointAsync(id, cancellationToken);
        if (existing is null) return new(null, null, []);
        var merged = input with
        {
            Url = input.Url ?? existing.Url,
            EventTypes = input.EventTypes ?? existing.EventTypes,
        };
        var issues = Validate(merged);
        if (issues.Count > 0) return new(null, null, issues);
        var updated = existing with
        {
            Url = merged.Url!.Trim(),
            EventTypes = merged.EventTypes!.Distinct(StringComparer.Ordinal).ToArray(),
            Enabled = input.Enabled ?? existing.Enabled,
            UpdatedAt = clock.GetUtcNow(),
        };
        return await store.UpdateEndpointAsync(updated, cancellationToken) ? new(updated, null, []) : new(null, null, []);
    }

    /// <summary>The secret of <paramref name="endpoint"/> in clear, for signing.</summary>
    public string Secret(WebhookEndpoint endpoint) => protector.Unprotect(endpoint.ProtectedSecret);

    private static ValidationIssue Error(string field, string code, object? value) =>
        new(field, code, IssueSeverity.Error, new Dictionary<string, object?> { ["value"] = value });
}
