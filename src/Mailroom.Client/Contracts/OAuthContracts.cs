namespace Mailroom.Client;

/// <summary>Starts a device-code sign-in: which provider, for which profile.</summary>
/// <param name="Provider">"microsoft365" or "google".</param>
/// <param name="Scope">"global" (administrators), "me", or "user:&lt;id&gt;".</param>
public sealed record DeviceStartRequest(string? Provider, string? Scope);

/// <summary>What the person must do: open <paramref name="VerificationUri"/> and type <paramref name="UserCode"/>.</summary>
/// <param name="Handle">Pass to <c>/api/oauth/device/poll</c>; not the provider's device code.</param>
/// <param name="UserCode">The code to type.</param>
/// <param name="VerificationUri">Where to type it.</param>
/// <param name="ExpiresAt">When the code stops working.</param>
/// <param name="IntervalSeconds">Poll no more often than this.</param>
/// <param name="Message">The instruction in the caller's language.</param>
public sealed record DeviceStartView(string Handle, string UserCode, string VerificationUri, DateTimeOffset ExpiresAt, int IntervalSeconds, string Message);

/// <summary>Asks whether a device-code sign-in finished.</summary>
public sealed record DevicePollRequest(string? Handle);

/// <summary>"pending" (poll again after the interval) or "done" with the account signed in.</summary>
public sealed record DevicePollView(string Status, string? Account);
