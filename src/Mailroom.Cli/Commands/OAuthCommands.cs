using System.CommandLine;
using System.Net;
using System.Text.Json;
using Mailroom.Client;

namespace Mailroom.Cli.Commands;

/// <summary><c>mailroom oauth login --device-code</c>: signs a profile in to Microsoft 365 or Google without a browser on this machine.</summary>
public static class OAuthCommands
{
    private static readonly Option<bool> DeviceCode = new("--device-code") { Description = "Sign in with a code typed on any device (the only way from the command line)" };
    private static readonly Option<string?> User = new("--user") { Description = "Sign in for this user's settings ('me' for your own; default: the global profile, administrators)" };
    private static readonly Option<string> Provider = new("--provider") { Description = "microsoft365 or google", DefaultValueFactory = _ => "microsoft365" };

    /// <summary>The longest wait between two polls, whatever the provider asks for.</summary>
    public const int MaxPollSeconds = 30;

    /// <summary>The command group.</summary>
    public static Command Create() => new Command("oauth", "OAuth2 sign-in for Microsoft 365 and Google").With(
        new Command("login", "Sign a profile in: prints a code and a URL, then waits until the sign-in is done, denied or expired (exit code 8 unless done)")
            .With(DeviceCode, User, Provider).Runs(LoginAsync));

    private static async Task<int> LoginAsync(CliContext context)
    {
        if (!context.Get(DeviceCode)) throw new CliUsageException(context.Text("cli.oauth.deviceCodeOnly"));
        var provider = context.Get(Provider)!;
        if (provider is not ("microsoft365" or "google"))
            throw new CliUsageException(context.Text("cli.oauth.badProvider", ("value", provider)));
        var scope = context.Get(User) switch { null => "global", "me" => "me", var id => "user:" + id };

        var started = await context.Client.StartDeviceSignInAsync(provider, scope, context.CancellationToken);
        if (context.JsonOutput)
            WriteLine(context, new { status = "started", started.UserCode, started.VerificationUri, started.ExpiresAt, started.Message });
        else
        {
            context.Out.WriteLine(started.Message);
            context.Out.WriteLine($"  code: {started.UserCode}");
            context.Out.WriteLine($"  url:  {started.VerificationUri}");
        }
        await context.Out.FlushAsync(context.CancellationToken);

        var interval = TimeSpan.FromSeconds(Math.Clamp(started.IntervalSeconds, 1, MaxPollSeconds));
        while (true)
        {
            await Task.Delay(interval, context.CancellationToken);
            DevicePollView answer;
            try
            {
                answer = await context.Client.PollDeviceSignInAsync(started.Handle, context.CancellationToken);
            }
            catch (MailroomApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                // The handle is gone: the code expired (or the server restarted).
                return Unsuccessful(context, "expired", context.Text("cli.oauth.expired"));
            }
            catch (MailroomApiException ex) when (ex.StatusCode == HttpStatusCode.BadRequest)
            {
                // Denied, or signed in as another account than the profile's login: the server says which.
                return Unsuccessful(context, "refused", ex.Message, ex.Code);
            }
            if (answer.Status == "done")
            {
                if (context.JsonOutput) WriteLine(context, new { status = "done", answer.Account, scope });
                else context.Out.WriteLine(context.Text("cli.oauth.done", ("account", answer.Account), ("scope", scope)));
                return ExitCodes.Ok;
            }
            var left = started.ExpiresAt - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero) return Unsuccessful(context, "expired", context.Text("cli.oauth.expired"));
            context.Progress(context.Text("cli.oauth.waiting", ("seconds", (int)left.TotalSeconds)));
        }
    }

    private static int Unsuccessful(CliContext context, string status, string message, string? code = null)
    {
        if (context.JsonOutput) WriteLine(context, new { status, code, message });
        throw new CliUnsuccessfulException(message);
    }

    /// <summary>One JSON object per line: the start (code and URL) can be read before the sign-in ends.</summary>
    private static void WriteLine(CliContext context, object value) =>
        context.Out.WriteLine(JsonSerializer.Serialize(value, value.GetType(), MailroomClient.Json));
}
