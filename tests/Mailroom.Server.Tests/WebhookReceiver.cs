using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace Mailroom.Server.Tests;

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, a free port) that records every POST it receives and
/// answers with the status codes it is scripted with (then 204).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _script;

    private WebhookReceiver(WebApplication app, ConcurrentQueue<int> script)
    {
        _app = app;
        _script = script;
    }

    public sealed record Received(IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);

    public ConcurrentQueue<Received> Requests { get; } = new();

    public string Url { get; private set; } = "";

    /// <summary>When set, every request gets this status (after the script ran out).</summary>
    public int? AlwaysAnswer { get; set; }

    public static async Task<WebhookReceiver> StartAsync(params int[] script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, new ConcurrentQueue<int>(script));
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            receiver.Requests.Enqueue(new Received(
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body, DateTimeOffset.UtcNow));
            return Results.StatusCode(receiver._script.TryDequeue(out var status) ? status : receiver.AlwaysAnswer ?? 204);
        });
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/hook";
        return receiver;
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds for the requests received.</summary>
    public Task<Received[]> WaitForAsync(Func<Received[], bool> condition, TimeSpan? timeout = null) =>
        Mailroom.Testing.Polling.WaitUntilAsync(() => Requests.ToArray(), condition, timeout ?? TimeSpan.FromSeconds(20),
            all => $"{all.Length} requests received, the condition not met", TimeSpan.FromMilliseconds(25));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
