using System.Collections.Concurrent;
using System.Security.Cryptography;
using MailKit.Net.Smtp;
using Mailroom.Core.Mail;
using Mailroom.Core.OAuth;
using Mailroom.Core.Queue;
using Mailroom.Core.Security;
using Mailroom.Core.Settings;
using Mailroom.Core.Storage;
using MimeKit;

namespace Mailroom.Core.Delivery;

/// <summary>
/// Delivers queued messages over SMTP with MailKit: through the profile's own server, or the
/// system relay, or — for the System sender without a relay — into an .eml file. Keeps one open
/// connection per <see cref="SmtpEndpoint"/> between messages (one message at a time on each),
/// honours the sender's rate limits by waiting, and reports every failure as an outcome.
/// </summary>
public sealed class SmtpDeliveryAgent : IMailDeliveryAgent
{
    private static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(5);

    private readonly SmtpDeliveryOptions _options;
    private readonly ISecretProtector _secrets;
    private readonly TimeProvider _time;
    private readonly ISendRateLimiter _rateLimiter;
    private readonly IClusterLock? _connectionSlots;
    private readonly IOAuthTokenSource? _oauth;
    private readonly ConnectionCheck.IHostResolver _resolver;
    // Keyed by the endpoint without its password or token (a refreshed token must not start a new
    // pool). Entries stay for the agent's life (one small pool per server and account ever used);
    // only their connections close.
    private readonly ConcurrentDictionary<SmtpEndpoint, EndpointPool> _pools = new();
    private readonly ITimer _idleSweep;
    private int _sweeping;
    private volatile bool _disposed;

    /// <summary>Creates an agent.</summary>
    /// <param name="options">Relay, capture folder and time limits.</param>
    /// <param name="secrets">Decrypts the sender's stored password.</param>
    /// <param name="time">The clock for rate limits and idle connections; the system clock when null.</param>
    /// <param name="rateLimiter">Where sends are counted against the sender's caps; this process's memory when null.</param>
    /// <param name="connectionSlots">
    /// Where connections to one server are counted across every Mailroom node (on PostgreSQL:
    /// advisory locks), so <see cref="SmtpDeliveryOptions.MaxConnectionsPerServer"/> holds for the
    /// cluster, not per node; when null each node counts only its own.
    /// </param>
    /// <param name="oauth">Access tokens for OAuth2 senders; without it their mail is held with "not configured".</param>
    /// <param name="resolver">
    /// Resolves every server name the agent connects to (for profiles restricted to public addresses,
    /// <see cref="SmtpDeliveryOptions.BlockPrivateNetworksForUserProfiles"/>, the addresses are then checked);
    /// the operating system's when null.
    /// </param>
    public SmtpDeliveryAgent(SmtpDeliveryOptions options, ISecretProtector secrets, TimeProvider? time = null, ISendRateLimiter? rateLimiter = null,
        IOAuthTokenSource? oauth = null, IClusterLock? connectionSlots = null, ConnectionCheck.IHostResolver? resolver = null)
    {
        _resolver = resolver ?? ConnectionCheck.SystemHostResolver.Instance;
        _connectionSlots = connectionSlots;
        _oauth = oauth;
        _options = options;
        _secrets = secrets;
        _time = time ?? TimeProvider.System;
        _rateLimiter = rateLimiter ?? new InProcessSendRateLimiter(_time);
        var shortestIdle = connectionSlots is null ? options.IdleConnectionTimeout : TimeSpan.FromTicks(Math.Min(options.IdleConnectionTimeout.Ticks, options.ClusterSlotIdleTimeout.Ticks));
        var sweepEvery = TimeSpan.FromTicks(Math.Max(shortestIdle.Ticks / 2, TimeSpan.FromMilliseconds(100).Ticks));
        _idleSweep = _time.CreateTimer(_ => _ = SweepIdleConnectionsAsync(), null, sweepEvery, sweepEvery);
    }

    /// <summary>How many SMTP connections are open now (for monitoring and tests).</summary>
    public int OpenConnectionCount => AllConnections.Count(connection => connection.Client?.IsConnected == true);

    private IEnumerable<EndpointConnection> AllConnections => _pools.Values.SelectMany(pool => pool.Slots);

    /// <inheritdoc />
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The agent has been disposed.</exception>
    public async Task<DeliveryOutcome> DeliverAsync(QueuedMessage message, EffectiveSenderSettings sender, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!sender.Enabled)
            return SenderProblem("Sending is turned off for this sender profile (\"enabled\" is No), so nothing was sent.");

        if (sender.SenderMode is SenderMode.System or SenderMode.ReplyToRelay)
        {
            if (sender.SenderMode == SenderMode.ReplyToRelay)
            {
                if (ReplyToRelaySender(sender) is not { } relayed)
                    return SenderProblem(sender.ReplyToRelayFromAddress is null
                        ? "The reply-to relay sends From <organisation slug>@<system events domain>, and the deployment settings name neither yet, so nothing was sent."
                        : "The reply-to relay puts the user's address in Reply-To, and this sender has no address (fromAddress), so nothing was sent.");
                sender = relayed;
            }
            var relay = _options.SystemRelay;
            return relay.IsConfigured
                ? await SendAsync(message, sender, SmtpEndpoint.From(relay), relay.FromAddress, cancellationToken, deploymentEnvelope: true)
                : await CaptureAsync(message, sender, cancellationToken);
        }

        // Own SMTP: with an OAuth2 token or the profile's password.
        if (string.IsNullOrWhiteSpace(sender.Host))
            return SenderProblem("The sender profile names no SMTP server (host), so nothing was sent.");
        if (OAuthProviders.For(sender.Authentication) is { } provider)
            return await SendWithOAuthAsync(message, sender, provider, cancellationToken);
        if (!TryReadPassword(sender, out var password, out var passwordProblem))
            return passwordProblem;
        // Providers such as Gmail and Microsoft 365 send only as the signed-in account, so a login
        // that is an address is the natural From when the profile names none.
        var loginAsFrom = sender.Login is { } login && Settings.Validation.EmailAddressRules.IsValidAddress(login) ? login : null;
        return await SendAsync(message, sender, ProfileEndpoint(SmtpEndpoint.From(sender, password), sender), loginAsFrom, cancellationToken);
    }

    /// <summary>
    /// The reply-to relay's sender: From the organisation's system address with the user's display
    /// name, Reply-To the user (their Reply-To when set, else their address); null when either is missing.
    /// </summary>
    public static EffectiveSenderSettings? ReplyToRelaySender(EffectiveSenderSettings sender)
    {
        var userAddress = string.IsNullOrWhiteSpace(sender.ReplyTo) ? sender.FromAddress : sender.ReplyTo;
        if (sender.ReplyToRelayFromAddress is not { } relayFrom || string.IsNullOrWhiteSpace(userAddress)) return null;
        return sender with { FromAddress = relayFrom, ReplyTo = userAddress };
    }

    private async Task<DeliveryOutcome> SendWithOAuthAsync(QueuedMessage message, EffectiveSenderSettings sender, OAuthProvider provider, CancellationToken cancellationToken)
    {
        var name = OAuthProviders.DisplayName(provider);
        if (_oauth is null)
            return SenderProblem(Localization.Messages.Format(OAuthProblemException.NotConfigured, "en", new Dictionary<string, object?> { ["provider"] = name }));
        OAuthAccessToken token;
        try
        {
            token = await _oauth.GetForSenderAsync(message.Draft.SenderUserId, provider, cancellationToken);
        }
        catch (OAuthProblemException problem)
        {
            return OAuthProblemOutcome(problem, null);
        }
        // The token acts for one account: a profile that names another login would be refused (or send as someone else).
        if (sender.Login is { Length: > 0 } login && !string.Equals(login, token.Account, StringComparison.OrdinalIgnoreCase))
            return SenderProblem(OAuthTokenService.WrongAccount(token.Account, login).Message + " Nothing was sent.");
        var outcome = await SendAsync(message, sender, ProfileEndpoint(SmtpEndpoint.From(sender, token), sender), token.Account, cancellationToken);
        if (IsTokenRefused(outcome))
        {
            // The token may have expired on the way (a slow connect): once, with a freshly refreshed
            // one. A revoked grant shows up here as the refresh being refused ("sign in again").
            _oauth.Forget(token.GrantScope);
            try
            {
                token = await _oauth.GetForSenderAsync(message.Draft.SenderUserId, provider, cancellationToken);
            }
            catch (OAuthProblemException problem)
            {
                return OAuthProblemOutcome(problem, outcome.Reply);
            }
            outcome = await SendAsync(message, sender, ProfileEndpoint(SmtpEndpoint.From(sender, token), sender), token.Account, cancellationToken);
        }
        if (!IsTokenRefused(outcome) || outcome.Reply is not { } reply) return outcome;
        _oauth.Forget(token.GrantScope);
        var args = new Dictionary<string, object?> { ["provider"] = name, ["account"] = token.Account, ["reply"] = reply.ToString() };
        return outcome with { Reason = Localization.Messages.Format(OAuthProblemException.RefusalCode(reply), "en", args) };
    }

    // No token to send with: a provider hiccup waits and retries, anything else holds the sender.
    private static DeliveryOutcome OAuthProblemOutcome(OAuthProblemException problem, SmtpReply? reply) =>
        new(problem.IsTransient ? DeliveryOutcomeKind.Transient : DeliveryOutcomeKind.SenderProblem, problem.Message, reply);

    private SmtpEndpoint ProfileEndpoint(SmtpEndpoint endpoint, EffectiveSenderSettings sender) =>
        NetworkGuard.Guard(endpoint, sender, _options.BlockPrivateNetworksForUserProfiles);

    private static bool IsTokenRefused(DeliveryOutcome outcome) =>
        outcome.Kind == DeliveryOutcomeKind.SenderProblem && outcome.Reply is { } reply && SmtpFailureClassifier.IsAuthenticationReply(reply.Code);

    /// <summary>The From of captured System-sender mail when neither the profile nor the relay names one.</summary>
    public const string CaptureFallbackFromAddress = "mailroom@localhost";

    /// <summary>Closes every open connection (QUIT), waiting for a send in progress on it to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _idleSweep.DisposeAsync();
        foreach (var connection in AllConnections)
        {
            await connection.Gate.WaitAsync(); // a send in progress ends within the command timeout
            try
            {
                await CloseAsync(connection, quit: true);
            }
            finally
            {
                connection.Gate.Release();
            }
        }
    }

    // deploymentEnvelope: the deployment's own relay carries it, so with a bounce domain the envelope sender is VERP.
    private async Task<DeliveryOutcome> SendAsync(
        QueuedMessage queued, EffectiveSenderSettings sender, SmtpEndpoint endpoint, string? fallbackFrom, CancellationToken cancellationToken,
        bool deploymentEnvelope = false)
    {
        if (!TryBuild(queued, sender, fallbackFrom, out var outgoing, out var invalid))
            return invalid;
        var verp = deploymentEnvelope && _options.Bounces.IsConfigured;
        if (verp) outgoing = outgoing with { EnvelopeSender = new MailboxAddress("", _options.Bounces.EnvelopeSenderFor(queued.Id)) };
        var pool = _pools.GetOrAdd(endpoint.WithoutCredential, _ => new EndpointPool(Math.Max(1, _options.MaxConnectionsPerServer)));
        var connection = await pool.AcquireAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // The slot is taken with the connection in hand, right before the send: taken earlier,
            // sends queued behind the connection would leave late and bunch up into the next window.
            if (await WaitForRateLimitAsync(endpoint, sender, cancellationToken) is { } deferred)
                return deferred;
            return await SendOnConnectionAsync(connection, endpoint, queued.Id, outgoing, verp, cancellationToken);
        }
        finally
        {
            connection.LastUsed = _time.GetUtcNow();
            connection.Gate.Release();
        }
    }

    private async Task<DeliveryOutcome> SendOnConnectionAsync(
        EndpointConnection connection, SmtpEndpoint endpoint, string envelopeId, OutgoingMessage outgoing, bool requestDsn, CancellationToken cancellationToken)
    {
        // A reused connection may have been closed by the server without our knowing; when it breaks
        // at the connection level, one immediate try on a fresh connection replaces the deferral
        // (and its later retry) that would otherwise follow — no more duplicate risk than that retry.
        for (var attempt = 1; ; attempt++)
        {
            RecipientRecordingSmtpClient client;
            bool reused;
            try
            {
                (client, reused) = await ConnectedClientAsync(connection, endpoint, cancellationToken);
            }
            catch (ConnectionSlotsBusyException busy)
            {
                return new DeliveryOutcome(DeliveryOutcomeKind.Transient, busy.Message);
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested)
            {
                await CloseAsync(connection, quit: false);
                return SmtpFailureClassifier.Classify(error, endpoint.ToString());
            }
            catch (Exception)
            {
                // Cancelled by the caller: the session is in an unknown state.
                await CloseAsync(connection, quit: false);
                cancellationToken.ThrowIfCancellationRequested();
                throw;
            }

            client.BeginTransaction(envelopeId, requestDsn);
            try
            {
                var finalText = await client.SendAsync(outgoing.Message, outgoing.EnvelopeSender, outgoing.EnvelopeRecipients, cancellationToken);
                return Delivered(endpoint, outgoing, client.Refused, SmtpReply.From(250, finalText));
            }
            catch (SmtpCommandException) when (client.NoRecipientAccepted)
            {
                if (!client.IsConnected) await CloseAsync(connection, quit: false);
                return NoRecipientAccepted(endpoint, client.Refused);
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested)
            {
                // A command error (4xx/5xx) leaves a usable session — MailKit has sent RSET; anything else may not.
                if (error is not SmtpCommandException || !client.IsConnected)
                    await CloseAsync(connection, quit: false);
                if (reused && attempt == 1 && error is not SmtpCommandException) continue;
                var outcome = SmtpFailureClassifier.Classify(error, endpoint.ToString());
                return outcome with { Recipients = NotDelivered(outgoing, client.Refused, outcome.Reply) };
            }
            catch (Exception)
            {
                // Cancelled by the caller: the session is in an unknown state.
                await CloseAsync(connection, quit: false);
                cancellationToken.ThrowIfCancellationRequested();
                throw;
            }
        }
    }

    // Reuses the open connection (probing it with NOOP when it sat idle); otherwise opens and authenticates a new one.
    private async Task<(RecipientRecordingSmtpClient Client, bool Reused)> ConnectedClientAsync(
        EndpointConnection connection, SmtpEndpoint endpoint, CancellationToken cancellationToken)
    {
        // A session proven with another password or token than the current one is not reused: the
        // current credential is the one in force (an edited password, a token replaced after a
        // refusal or refreshed before expiry), and a wrong new password must show at the next send,
        // not whenever the old session happens to close. SMTP allows one AUTH per session, so that
        // means a new connection — one per token lifetime (about an hour) for OAuth2.
        if (connection.Client is { IsConnected: true } open && connection.Credential == endpoint.Password)
        {
            // A connection used a moment ago is alive; one that sat idle may have been closed by
            // the server, and a NOOP finds out before a message is spent on it.
            if (_time.GetUtcNow() - connection.LastUsed < _options.ReuseWithoutProbeFor) return (open, true);
            try
            {
                await open.NoOpAsync(cancellationToken);
                return (open, true);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The server closed it while idle, or it broke: open a new one below.
            }
        }
        await CloseAsync(connection, quit: false);

        await TakeClusterSlotAsync(connection, endpoint, cancellationToken);
        var client = new RecipientRecordingSmtpClient();
        SmtpConnector.Configure(client, endpoint, _options.CommandTimeout);
        connection.Client = client; // set first, so a failed connect is closed and disposed by the caller
        await SmtpConnector.ConnectAndAuthenticateAsync(client, endpoint, _resolver, cancellationToken);
        connection.Credential = endpoint.Password;
        return (client, false);
    }

    // A connection may be opened only while it holds one of the cluster's MaxConnectionsPerServer
    // slots for its server; the slot is given back when the connection closes (CloseAsync).
    private async Task TakeClusterSlotAsync(EndpointConnection connection, SmtpEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (_connectionSlots is null) return;
        var slots = Math.Max(1, _options.MaxConnectionsPerServer);
        var waited = TimeSpan.Zero;
        var pause = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            for (var i = 0; i < slots; i++)
            {
                if (await _connectionSlots.TryAcquireAsync($"smtp-connection:{endpoint.RateLimitKey}:{i}", cancellationToken) is { } slot)
                {
                    connection.ClusterSlot = slot;
                    return;
                }
            }
            if (waited >= _options.MaxRateLimitWait)
                throw new ConnectionSlotsBusyException(
                    $"All {slots} connections to {endpoint} allowed across the Mailroom nodes (Mailroom:Delivery:MaxConnectionsPerServer) " +
                    "are in use by other nodes, so the message waits in the queue instead.");
            await Task.Delay(pause, _time, cancellationToken);
            waited += pause;
        }
    }

    private sealed class ConnectionSlotsBusyException(string message) : Exception(message);

    private async Task<DeliveryOutcome?> WaitForRateLimitAsync(SmtpEndpoint endpoint, EffectiveSenderSettings sender, CancellationToken cancellationToken)
    {
        var limits = new List<SendRateLimit>(2);
        if (sender.RateLimitPerMinute is int perMinute and > 0) limits.Add(new SendRateLimit(perMinute, _options.RateLimitMinute));
        if (sender.RateLimitPerDay is int perDay and > 0) limits.Add(new SendRateLimit(perDay, TimeSpan.FromDays(1)));
        if (limits.Count == 0) return null;
        var waited = TimeSpan.Zero;
        while (true)
        {
            var wait = await _rateLimiter.TryTakeAsync(endpoint.RateLimitKey, limits, cancellationToken);
            if (wait == TimeSpan.Zero) return null;
            if (waited + wait > _options.MaxRateLimitWait)
            {
                return new DeliveryOutcome(DeliveryOutcomeKind.Transient,
                    $"The sending limit for {endpoint} ({DescribeLimits(sender)}) is reached; the next free slot is in {Describe(wait)}, " +
                    "so the message waits in the queue instead.");
            }
            await Task.Delay(wait, _time, cancellationToken);
            waited += wait; // grows every round, so the loop ends
        }
    }

    private async Task<DeliveryOutcome> CaptureAsync(QueuedMessage queued, EffectiveSenderSettings sender, CancellationToken cancellationToken)
    {
        if (!TryBuild(queued, sender, _options.SystemRelay.FromAddress ?? CaptureFallbackFromAddress, out var outgoing, out var invalid))
            return invalid;
        var directory = Path.GetFullPath(_options.CaptureDirectory);
        var path = Path.Combine(directory, CaptureFileName(queued.Id));
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(directory);
            // Written aside and renamed, so a reader never sees half a message, and a retry replaces it whole.
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await outgoing.Message.WriteToAsync(stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            return new DeliveryOutcome(DeliveryOutcomeKind.Transient, $"Could not write the captured message to {path}: {error.Message}");
        }
        return new DeliveryOutcome(DeliveryOutcomeKind.Captured,
            $"Captured, not delivered: no system relay configured. The message was saved as {path}.");
    }

    /// <summary>The file name a captured message gets: its queue id with anything unsafe for a path replaced.</summary>
    public static string CaptureFileName(string queueMessageId)
    {
        var safe = string.Concat(queueMessageId.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '_'));
        return safe.Trim('.') + ".eml";
    }

    private static bool TryBuild(
        QueuedMessage queued, EffectiveSenderSettings sender, string? fallbackFrom, out OutgoingMessage outgoing, out DeliveryOutcome invalid)
    {
        try
        {
            outgoing = MimeMessageBuilder.Build(queued, sender, fallbackFrom);
            invalid = null!;
            return true;
        }
        catch (InvalidOutgoingMessageException error)
        {
            outgoing = null!;
            invalid = new DeliveryOutcome(
                error.IsSenderSettingsProblem ? DeliveryOutcomeKind.SenderProblem : DeliveryOutcomeKind.Permanent, error.Message);
            return false;
        }
    }

    private bool TryReadPassword(EffectiveSenderSettings sender, out string? password, out DeliveryOutcome problem)
    {
        password = null;
        problem = null!;
        if (sender.Authentication != AuthenticationMethod.Password) return true;
        if (!sender.HasPassword)
        {
            problem = SenderProblem("The sender profile signs in with login and password, but no password is stored, so nothing was sent.");
            return false;
        }
        try
        {
            password = _secrets.Unprotect(sender.ProtectedPassword!);
            return true;
        }
        catch (CryptographicException)
        {
            problem = SenderProblem("The stored SMTP password cannot be decrypted (was the encryption key replaced?). Enter the password again.");
            return false;
        }
    }

    private static DeliveryOutcome Delivered(
        SmtpEndpoint endpoint, OutgoingMessage outgoing, IReadOnlyList<(MailboxAddress Mailbox, SmtpResponse Response)> refused, SmtpReply finalReply)
    {
        var refusedByAddress = RefusedByAddress(refused);
        var recipients = outgoing.EnvelopeRecipients
            .Select(mailbox => refusedByAddress.TryGetValue(mailbox.Address, out var reply)
                ? new RecipientOutcome(mailbox.Address, false, reply)
                : new RecipientOutcome(mailbox.Address, true, finalReply))
            .ToList();
        var accepted = recipients.Count(recipient => recipient.Accepted);
        var reason = accepted == recipients.Count
            ? $"{endpoint} accepted the message for {Recipients(accepted)}."
            : $"{endpoint} accepted the message for {accepted} of {Recipients(recipients.Count)}; refused: {DescribeRefused(recipients)}.";
        return new DeliveryOutcome(DeliveryOutcomeKind.Delivered, reason, finalReply, recipients);
    }

    private static DeliveryOutcome NoRecipientAccepted(SmtpEndpoint endpoint, IReadOnlyList<(MailboxAddress Mailbox, SmtpResponse Response)> refused)
    {
        var recipients = refused.Select(entry => new RecipientOutcome(entry.Mailbox.Address, false, ReplyOf(entry.Response))).ToList();
        // Any 4xx means a later attempt may get through, so the whole message waits.
        var transient = recipients.FirstOrDefault(recipient => recipient.Reply?.IsTransient == true);
        var kind = transient is null ? DeliveryOutcomeKind.Permanent : DeliveryOutcomeKind.Transient;
        var reply = (transient ?? recipients.FirstOrDefault())?.Reply;
        return new DeliveryOutcome(kind, $"{endpoint} refused every recipient: {DescribeRefused(recipients)}.", reply, recipients);
    }

    // After a failure past RCPT (DATA refused, connection lost): nobody got the message.
    private static List<RecipientOutcome> NotDelivered(
        OutgoingMessage outgoing, IReadOnlyList<(MailboxAddress Mailbox, SmtpResponse Response)> refused, SmtpReply? reply)
    {
        var refusedByAddress = RefusedByAddress(refused);
        return outgoing.EnvelopeRecipients
            .Select(mailbox => new RecipientOutcome(mailbox.Address, false, refusedByAddress.GetValueOrDefault(mailbox.Address) ?? reply))
            .ToList();
    }

    private static Dictionary<string, SmtpReply> RefusedByAddress(IReadOnlyList<(MailboxAddress Mailbox, SmtpResponse Response)> refused)
    {
        var byAddress = new Dictionary<string, SmtpReply>(StringComparer.OrdinalIgnoreCase);
        foreach (var (mailbox, response) in refused)
            byAddress.TryAdd(mailbox.Address, ReplyOf(response));
        return byAddress;
    }

    private static SmtpReply ReplyOf(SmtpResponse response) => SmtpReply.From((int)response.StatusCode, response.Response);

    private static string DescribeRefused(IEnumerable<RecipientOutcome> recipients) =>
        string.Join("; ", recipients.Where(recipient => !recipient.Accepted).Select(recipient => $"{recipient.Address} ({recipient.Reply})"));

    private static string Recipients(int count) => count == 1 ? "1 recipient" : $"{count} recipients";

    private static string DescribeLimits(EffectiveSenderSettings sender) =>
        string.Join(", ", new[]
        {
            sender.RateLimitPerMinute is int perMinute ? $"{perMinute} per minute" : null,
            sender.RateLimitPerDay is int perDay ? $"{perDay} per day" : null,
        }.OfType<string>());

    private static string Describe(TimeSpan wait) =>
        wait >= TimeSpan.FromHours(1) ? $"{wait.TotalHours:0.#} h" : wait >= TimeSpan.FromMinutes(1) ? $"{wait.TotalMinutes:0.#} min" : $"{Math.Ceiling(wait.TotalSeconds):0} s";

    private static DeliveryOutcome SenderProblem(string reason) => new(DeliveryOutcomeKind.SenderProblem, reason);

    private async Task SweepIdleConnectionsAsync()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 1) return;
        try
        {
            foreach (var connection in AllConnections)
            {
                // Skip connections in use; they are not idle.
                if (connection.Client is null || !await connection.Gate.WaitAsync(0)) continue;
                try
                {
                    var idleLimit = connection.ClusterSlot is null ? _options.IdleConnectionTimeout : _options.ClusterSlotIdleTimeout;
                    if (!_disposed && _time.GetUtcNow() - connection.LastUsed >= idleLimit)
                        await CloseAsync(connection, quit: true);
                }
                finally
                {
                    connection.Gate.Release();
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    // Call with the connection's gate held.
    private static async Task CloseAsync(EndpointConnection connection, bool quit)
    {
        var slot = connection.ClusterSlot;
        connection.ClusterSlot = null;
        if (connection.Client is not { } client)
        {
            if (slot is not null) await slot.DisposeAsync();
            return;
        }
        connection.Client = null;
        connection.Credential = null;
        try
        {
            if (client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(QuitTimeout);
                await client.DisconnectAsync(quit, timeout.Token);
            }
        }
        catch (Exception)
        {
            // Closing is best effort: the server may already be gone, and the session is discarded either way.
        }
        finally
        {
            client.Dispose();
            if (slot is not null) await slot.DisposeAsync();
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Left behind as *.tmp; it never takes the place of a captured message.
        }
    }

    /// <summary>
    /// Up to <c>MaxConnectionsPerServer</c> connections to one endpoint. A free one is taken if
    /// there is any; otherwise the sender waits its turn on one of them, round robin.
    /// </summary>
    private sealed class EndpointPool(int size)
    {
        private int _next;

        public EndpointConnection[] Slots { get; } = Enumerable.Range(0, size).Select(_ => new EndpointConnection()).ToArray();

        public async Task<EndpointConnection> AcquireAsync(CancellationToken cancellationToken)
        {
            // Prefer a slot that already holds an open connection, then any free slot.
            foreach (var slot in Slots.OrderByDescending(s => s.Client is not null))
            {
                if (slot.Gate.Wait(0)) return slot;
            }
            var chosen = Slots[(Interlocked.Increment(ref _next) & int.MaxValue) % Slots.Length];
            await chosen.Gate.WaitAsync(cancellationToken);
            return chosen;
        }
    }

    /// <summary>One connection: a gate so only one message uses it at a time, and when it was last used.</summary>
    private sealed class EndpointConnection
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public RecipientRecordingSmtpClient? Client { get; set; }
        public IAsyncDisposable? ClusterSlot { get; set; }
        public DateTimeOffset LastUsed { get; set; }
        // The password or access token the open session authenticated with (null: none, or no session).
        public string? Credential { get; set; }
    }
}
