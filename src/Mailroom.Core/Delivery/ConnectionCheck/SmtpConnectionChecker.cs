using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Mailroom.Core.Settings;
using static Mailroom.Core.Delivery.ConnectionCheck.ConnectionCheckHints;

namespace Mailroom.Core.Delivery.ConnectionCheck;

/// <summary>
/// Checks a sender profile's SMTP server step by step — DNS, TCP, TLS and certificate, EHLO,
/// STARTTLS, AUTH, QUIT — with timings, facts and a hint for every failure, and sends nothing
/// (no MAIL, RCPT or DATA). The session is opened the one way Mailroom opens sessions
/// (<see cref="SmtpConnector"/>), so what passes here is what delivery will meet.
/// </summary>
/// <param name="resolver">Resolves the server name.</param>
/// <param name="timeProvider">The clock for certificate validity and the report's start time.</param>
public sealed class SmtpConnectionChecker(IHostResolver resolver, TimeProvider timeProvider)
{
    /// <summary>A checker using the system resolver and clock.</summary>
    public SmtpConnectionChecker() : this(SystemHostResolver.Instance, TimeProvider.System)
    {
    }

    /// <summary>Checks <paramref name="endpoint"/>. Failures are reported in the result, not thrown.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (timeouts are reported, not thrown).</exception>
    public async Task<ConnectionCheckReport> CheckAsync(SmtpEndpoint endpoint, ConnectionCheckOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        var run = new CheckRun(endpoint, options, timeProvider, cancellationToken);
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(options.OverallTimeout);
        await run.RunAsync(resolver, overall.Token);
        return run.Report();
    }

    /// <summary>The state of one check: the steps so far, the clock, and what the session showed.</summary>
    private sealed class CheckRun(SmtpEndpoint endpoint, ConnectionCheckOptions options, TimeProvider timeProvider, CancellationToken callerToken)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly DateTimeOffset _startedAt = timeProvider.GetUtcNow();
        private readonly List<ConnectionCheckStepResult> _steps = [];
        private readonly SecureSocketOptions _socketOptions = SmtpConnector.SocketOptionsFor(endpoint.Encryption, endpoint.Port);
        private ObservedCertificate? _certificate;

        private bool ImplicitTls => _socketOptions == SecureSocketOptions.SslOnConnect;

        private IEnumerable<ConnectionCheckStep> PlannedSteps => ImplicitTls
            ? [ConnectionCheckStep.Dns, ConnectionCheckStep.Connect, ConnectionCheckStep.Tls, ConnectionCheckStep.Greeting,
                ConnectionCheckStep.Ehlo, ConnectionCheckStep.Authentication, ConnectionCheckStep.Quit]
            : [ConnectionCheckStep.Dns, ConnectionCheckStep.Connect, ConnectionCheckStep.Greeting, ConnectionCheckStep.Ehlo,
                ConnectionCheckStep.StartTls, ConnectionCheckStep.EhloAfterStartTls, ConnectionCheckStep.Authentication, ConnectionCheckStep.Quit];

        public async Task RunAsync(IHostResolver resolver, CancellationToken token)
        {
            var addresses = await ResolveAsync(resolver, token);
            if (addresses is null) return;
            var socket = await ConnectTcpAsync(addresses, token);
            if (socket is null) return;

            var transcript = new SmtpTranscript(_clock);
            using var client = new SmtpClient(transcript);
            SmtpConnector.Configure(client, endpoint, options.ProtocolTimeout, ObserveCertificate);
            if (!await StartSessionAsync(client, socket, transcript, token)) return;
            await AuthenticateAsync(client, token);
            await QuitAsync(client, token);
        }

        public ConnectionCheckReport Report()
        {
            // every planned step appears, so the UI can show the whole ladder and where it stopped
            var steps = PlannedSteps
                .Select(step => _steps.FirstOrDefault(result => result.Step == step) ?? Skipped(step))
                .ToList();
            var status = steps.Any(step => step.Status == ConnectionCheckStatus.Failed) ? ConnectionCheckStatus.Failed
                : steps.Any(step => step.Status == ConnectionCheckStatus.Warning) ? ConnectionCheckStatus.Warning
                : ConnectionCheckStatus.Ok;
            return new ConnectionCheckReport(endpoint.ToString(), endpoint.Encryption, endpoint.Authentication, _startedAt, status,
                _clock.ElapsedMilliseconds, steps);
        }

        private async Task<IReadOnlyList<IPAddress>?> ResolveAsync(IHostResolver resolver, CancellationToken token)
        {
            var started = _clock.Elapsed;
            var host = ("host", endpoint.Host);
            try
            {
                var addresses = await WithTimeoutAsync(t => resolver.ResolveAsync(endpoint.Host, t), options.DnsTimeout, token);
                if (addresses.Count == 0)
                {
                    Add(ConnectionCheckStep.Dns, ConnectionCheckStatus.Failed, started, Facts(host), Hint(HostNotFound, host));
                    return null;
                }
                if (endpoint.PublicAddressesOnly)
                {
                    // The SSRF rule: only checked addresses are connected to below (no second lookup).
                    var allowed = addresses.Where(NetworkGuard.IsPublic).ToArray();
                    if (allowed.Length == 0)
                    {
                        Add(ConnectionCheckStep.Dns, ConnectionCheckStatus.Failed, started,
                            Facts(host, ("addresses", string.Join(", ", addresses))),
                            Hint(BlockedAddress, host, ("addresses", string.Join(", ", addresses))));
                        return null;
                    }
                    addresses = allowed;
                }
                Add(ConnectionCheckStep.Dns, ConnectionCheckStatus.Ok, started,
                    Facts(host, ("addresses", string.Join(", ", addresses))));
                return addresses;
            }
            catch (SocketException error) when (error.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData)
            {
                Add(ConnectionCheckStep.Dns, ConnectionCheckStatus.Failed, started, Facts(host, ("error", error.Message)), Hint(HostNotFound, host));
            }
            catch (TimeoutException)
            {
                Add(ConnectionCheckStep.Dns, ConnectionCheckStatus.Failed, started, Facts(host),
                    Hint(DnsTimeout, host, ("seconds", Seconds(options.DnsTimeout))));
            }
            catch (Exception error) when (error is SocketException or ArgumentException)
            {
                Add(ConnectionCheckStep.Dns, ConnectionCheckStatus.Failed, started, Facts(host, ("error", error.Message)),
                    Hint(DnsFailed, host, ("error", error.Message)));
            }
            return null;
        }

        private async Task<Socket?> ConnectTcpAsync(IReadOnlyList<IPAddress> addresses, CancellationToken token)
        {
            var started = _clock.Elapsed;
            var port = ("port", endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var attempts = new List<string>();
            var refused = false;
            var timedOut = false;
            string? lastError = null;
            foreach (var address in addresses.Take(Math.Max(1, options.MaxAddressesToTry)))
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await WithTimeoutAsync(async t => { await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), t); return true; },
                        options.ConnectTimeout, token);
                    Add(ConnectionCheckStep.Connect, ConnectionCheckStatus.Ok, started,
                        Facts(("address", address.ToString()), port, ("local", socket.LocalEndPoint?.ToString() ?? "")));
                    return socket;
                }
                catch (SocketException error)
                {
                    socket.Dispose();
                    refused |= error.SocketErrorCode == SocketError.ConnectionRefused;
                    timedOut |= error.SocketErrorCode == SocketError.TimedOut;
                    lastError = error.Message;
                    attempts.Add($"{address}: {error.SocketErrorCode}");
                }
                catch (TimeoutException)
                {
                    socket.Dispose();
                    timedOut = true;
                    attempts.Add($"{address}: no answer within {Seconds(options.ConnectTimeout)} s");
                }
            }
            var hint = timedOut
                ? Hint(PortFiltered, ("host", endpoint.Host), port, ("seconds", Seconds(options.ConnectTimeout)))
                : refused
                    ? Hint(ConnectionRefused, ("host", endpoint.Host), port)
                    : Hint(ConnectFailed, ("host", endpoint.Host), port, ("error", lastError ?? ""));
            Add(ConnectionCheckStep.Connect, ConnectionCheckStatus.Failed, started, Facts(port, ("attempts", string.Join("; ", attempts))), hint);
            return null;
        }

        /// <summary>
        /// Greeting, EHLO and TLS (implicit or STARTTLS) happen inside one MailKit connect; the
        /// transcript and the certificate callback tell where each step began, ended or broke.
        /// </summary>
        private async Task<bool> StartSessionAsync(SmtpClient client, Socket socket, SmtpTranscript transcript, CancellationToken token)
        {
            var started = _clock.Elapsed;
            Exception? failure = null;
            try
            {
                await WithTimeoutAsync(async t => { await SmtpConnector.ConnectAsync(client, socket, endpoint, t); return true; },
                    options.ProtocolTimeout, token);
            }
            catch (Exception error) when (error is not OperationCanceledException || !callerToken.IsCancellationRequested)
            {
                failure = error;
                socket.Dispose(); // MailKit may not own it yet when the connect failed early
            }
            var failedAt = _clock.Elapsed;

            var ok = ImplicitTls
                ? ReportImplicitTls(client, transcript, started, failure, failedAt)
                : ReportPlainStart(client, transcript, started, failure, failedAt);
            return ok && failure is null;
        }

        private bool ReportImplicitTls(SmtpClient client, SmtpTranscript transcript, TimeSpan started, Exception? failure, TimeSpan failedAt)
        {
            var tlsEnded = _certificate?.At ?? failedAt;
            if (_certificate is null)
            {
                var hint = IsTimeout(failure)
                    ? Hint(NoAnswer, ("seconds", Seconds(options.ProtocolTimeout)))
                    : Hint(SslOnStartTlsPort, ("port", Port), ("error", Describe(failure)));
                Add(ConnectionCheckStep.Tls, ConnectionCheckStatus.Failed, started, tlsEnded, Facts(("error", Describe(failure))), hint);
                return false;
            }
            if (!ReportCertificate(ConnectionCheckStep.Tls, client, started, tlsEnded)) return false;
            return ReportGreeting(transcript, tlsEnded, failure, failedAt) && ReportEhlo(ConnectionCheckStep.Ehlo, transcript.Find("EHLO"), failure, failedAt);
        }

        private bool ReportPlainStart(SmtpClient client, SmtpTranscript transcript, TimeSpan started, Exception? failure, TimeSpan failedAt)
        {
            if (!ReportGreeting(transcript, started, failure, failedAt)) return false;
            var firstEhlo = transcript.Find("EHLO");
            if (!ReportEhlo(ConnectionCheckStep.Ehlo, firstEhlo, failure, failedAt)) return false;

            var offered = Capabilities(firstEhlo!).ContainsKey("STARTTLS");
            var offeredFact = ("offered", YesNo(offered));
            var startTls = transcript.Find("STARTTLS");
            if (startTls is null)
            {
                var at = firstEhlo!.RepliedAt ?? failedAt;
                if (endpoint.Encryption == EncryptionMode.None)
                    Add(ConnectionCheckStep.StartTls, ConnectionCheckStatus.Warning, at, at, Facts(("requested", "no"), offeredFact), Hint(EncryptionNone));
                else if (_socketOptions == SecureSocketOptions.StartTls)
                    Add(ConnectionCheckStep.StartTls, ConnectionCheckStatus.Failed, at, at, Facts(offeredFact), Hint(StartTlsNotOffered, ("endpoint", endpoint.ToString())));
                else
                    Add(ConnectionCheckStep.StartTls, ConnectionCheckStatus.Warning, at, at, Facts(offeredFact), Hint(StartTlsNotOfferedAutomatic, ("endpoint", endpoint.ToString())));
                if (failure is not null && _steps.All(step => step.Status != ConnectionCheckStatus.Failed))
                    Add(ConnectionCheckStep.EhloAfterStartTls, ConnectionCheckStatus.Failed, at, failedAt, Facts(("error", Describe(failure))),
                        Hint(Unexpected, ("error", Describe(failure))));
                return true;
            }

            var tlsEnded = transcript.Find("EHLO", 1)?.SentAt ?? _certificate?.At ?? failedAt;
            if (startTls.ReplyCode is not 220)
            {
                var reply = startTls.RepliedAt is null ? Describe(failure) : startTls.ReplyText;
                Add(ConnectionCheckStep.StartTls, ConnectionCheckStatus.Failed, startTls.SentAt, tlsEnded, Facts(("reply", reply)),
                    IsTimeout(failure) && startTls.RepliedAt is null
                        ? Hint(NoAnswer, ("seconds", Seconds(options.ProtocolTimeout)))
                        : Hint(StartTlsRefused, ("reply", reply)));
                return false;
            }
            if (_certificate is null)
            {
                Add(ConnectionCheckStep.StartTls, ConnectionCheckStatus.Failed, startTls.SentAt, tlsEnded, Facts(("error", Describe(failure))),
                    Hint(TlsHandshakeFailed, ("error", Describe(failure))));
                return false;
            }
            if (!ReportCertificate(ConnectionCheckStep.StartTls, client, startTls.SentAt, tlsEnded)) return false;
            return ReportEhlo(ConnectionCheckStep.EhloAfterStartTls, transcript.Find("EHLO", 1), failure, failedAt);
        }

        private bool ReportGreeting(SmtpTranscript transcript, TimeSpan started, Exception? failure, TimeSpan failedAt)
        {
            var greeting = transcript.Greeting;
            if (greeting?.RepliedAt is { } repliedAt)
            {
                var facts = Facts(("banner", greeting.ReplyText));
                if (greeting.ReplyCode == 220)
                {
                    Add(ConnectionCheckStep.Greeting, ConnectionCheckStatus.Ok, started, repliedAt, facts);
                    return true;
                }
                // a reply that is not SMTP at all ("garbage") usually means TLS bytes or another protocol
                var hint = greeting.ReplyCode is >= 400 and < 600
                    ? Hint(GreetingRefused, ("reply", greeting.ReplyText))
                    : Hint(StartTlsOnImplicitTlsPort, ("port", Port), ("error", Describe(failure)));
                Add(ConnectionCheckStep.Greeting, ConnectionCheckStatus.Failed, started, repliedAt, facts, hint);
                return false;
            }
            var silent = IsTimeout(failure);
            var noGreetingHint = ImplicitTls
                ? silent ? Hint(NoAnswer, ("seconds", Seconds(options.ProtocolTimeout))) : Hint(Unexpected, ("error", Describe(failure)))
                : Hint(StartTlsOnImplicitTlsPort, ("port", Port), ("error", silent ? $"no greeting within {Seconds(options.ProtocolTimeout)} s" : Describe(failure)));
            Add(ConnectionCheckStep.Greeting, ConnectionCheckStatus.Failed, started, failedAt, Facts(("error", Describe(failure))), noGreetingHint);
            return false;
        }

        private bool ReportEhlo(ConnectionCheckStep step, SmtpExchange? ehlo, Exception? failure, TimeSpan failedAt)
        {
            if (ehlo is null || ehlo.ReplyCode is not 250)
            {
                var reply = ehlo?.RepliedAt is null ? Describe(failure) : ehlo.ReplyText;
                Add(step, ConnectionCheckStatus.Failed, ehlo?.SentAt ?? failedAt, ehlo?.RepliedAt ?? failedAt, Facts(("reply", reply)),
                    IsTimeout(failure) ? Hint(NoAnswer, ("seconds", Seconds(options.ProtocolTimeout))) : Hint(EhloFailed, ("reply", reply)));
                return false;
            }
            var capabilities = Capabilities(ehlo);
            var facts = new Dictionary<string, string>
            {
                ["server"] = ehlo.ReplyLines[0].Length > 4 ? ehlo.ReplyLines[0][4..].Split(' ')[0] : "",
                ["size"] = capabilities.TryGetValue("SIZE", out var size) ? (size.Length > 0 ? size : "yes") : "no",
                ["8bitmime"] = YesNo(capabilities.ContainsKey("8BITMIME")),
                ["pipelining"] = YesNo(capabilities.ContainsKey("PIPELINING")),
                ["dsn"] = YesNo(capabilities.ContainsKey("DSN")),
                ["startTls"] = YesNo(capabilities.ContainsKey("STARTTLS")),
                ["smtpUtf8"] = YesNo(capabilities.ContainsKey("SMTPUTF8")),
                ["auth"] = capabilities.TryGetValue("AUTH", out var mechanisms) && mechanisms.Length > 0 ? mechanisms : "none",
                ["capabilities"] = string.Join(", ", capabilities.Keys),
            };
            Add(step, ConnectionCheckStatus.Ok, ehlo.SentAt, ehlo.RepliedAt!.Value, facts);
            return true;
        }

        private bool ReportCertificate(ConnectionCheckStep step, SmtpClient client, TimeSpan started, TimeSpan ended)
        {
            var seen = _certificate!;
            var facts = new Dictionary<string, string>();
            if (client.IsConnected && client.IsSecure)
            {
                facts["protocol"] = client.SslProtocol.ToString();
                facts["cipherSuite"] = client.SslCipherSuite?.ToString() ?? "";
            }
            var now = timeProvider.GetUtcNow();
            if (seen.Certificate is { } certificate)
            {
                facts["subject"] = certificate.Subject;
                facts["issuer"] = certificate.Issuer;
                facts["names"] = string.Join(", ", NamesOf(certificate));
                facts["notBefore"] = Timestamp(certificate.NotBefore);
                facts["notAfter"] = Timestamp(certificate.NotAfter);
                facts["sha256"] = SmtpConnector.Sha256Of(certificate);
            }
            facts["trust"] = !seen.Trusted ? "notTrusted" : seen.Errors == SslPolicyErrors.None ? "chainValid" : "pinnedFingerprint";
            if (seen.Errors != SslPolicyErrors.None)
                facts["validationErrors"] = string.Join(", ", new[] { seen.Errors.ToString(), seen.ChainStatus == X509ChainStatusFlags.NoError ? "" : seen.ChainStatus.ToString() }.Where(text => text.Length > 0));

            if (!seen.Trusted)
            {
                var hints = ForUntrustedCertificate(seen.Certificate, seen.Errors, seen.ChainStatus, endpoint.Host, endpoint.CertificateSha256, now);
                Add(step, ConnectionCheckStatus.Failed, started, ended, facts, [.. hints]);
                return false;
            }
            var notAfter = new DateTimeOffset(seen.Certificate!.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            if (notAfter < now)
                Add(step, ConnectionCheckStatus.Warning, started, ended, facts, Hint(CertificateExpiredButPinned, ("notAfter", facts["notAfter"])));
            else if (notAfter - now < options.CertificateExpiryWarning)
                Add(step, ConnectionCheckStatus.Warning, started, ended, facts,
                    Hint(CertificateExpiresSoon, ("notAfter", facts["notAfter"]), ("days", ((int)(notAfter - now).TotalDays).ToString(System.Globalization.CultureInfo.InvariantCulture))));
            else
                Add(step, ConnectionCheckStatus.Ok, started, ended, facts);
            return true;
        }

        private string ProviderName => OAuth.OAuthProviders.For(endpoint.Authentication) is { } provider ? OAuth.OAuthProviders.DisplayName(provider) : "OAuth2";

        private async Task AuthenticateAsync(SmtpClient client, CancellationToken token)
        {
            var started = _clock.Elapsed;
            var offered = client.AuthenticationMechanisms.Count > 0 ? string.Join(" ", client.AuthenticationMechanisms) : "none";
            switch (endpoint.Authentication)
            {
                case AuthenticationMethod.None:
                    Add(ConnectionCheckStep.Authentication, ConnectionCheckStatus.Skipped, started, Facts(("method", "none"), ("offered", offered)));
                    return;
                case AuthenticationMethod.OAuth2Microsoft365 or AuthenticationMethod.OAuth2Google when endpoint.Password is null:
                    var problem = options.OAuthProblem ?? new OAuth.OAuthProblemException(OAuth.OAuthProblemException.NotSignedIn, "Not signed in.");
                    Add(ConnectionCheckStep.Authentication, problem.Code == OAuth.OAuthProblemException.NotSignedIn ? ConnectionCheckStatus.Skipped : ConnectionCheckStatus.Failed,
                        started, Facts(("method", "oauth2"), ("offered", offered)), ForOAuthProblem(problem, ProviderName));
                    return;
            }
            var facts = Facts(("method", endpoint.IsOAuth2 ? "oauth2" : "password"), ("login", endpoint.Login ?? ""), ("offered", offered), ("encrypted", YesNo(client.IsSecure)));
            // the connector's own guard decides about clear text, so the check cannot disagree with delivery
            if (client.AuthenticationMechanisms.Count == 0 && (client.IsSecure || endpoint.Encryption == EncryptionMode.None))
            {
                facts["passwordSent"] = "no";
                Add(ConnectionCheckStep.Authentication, ConnectionCheckStatus.Failed, started, facts,
                    Hint(AuthNotOffered, ("endpoint", endpoint.ToString()), ("encrypted", YesNo(client.IsSecure))));
                return;
            }
            try
            {
                await WithTimeoutAsync(async t => { await SmtpConnector.AuthenticateAsync(client, endpoint, t); return true; }, options.ProtocolTimeout, token);
                facts["passwordSent"] = "yes";
                Add(ConnectionCheckStep.Authentication, ConnectionCheckStatus.Ok, started, facts);
            }
            catch (PlaintextCredentialsRefusedException)
            {
                facts["passwordSent"] = "no";
                Add(ConnectionCheckStep.Authentication, ConnectionCheckStatus.Failed, started, facts, Hint(PlaintextRefused, ("endpoint", endpoint.ToString())));
            }
            catch (Exception error) when (error is AuthenticationException or SmtpCommandException)
            {
                var reply = SmtpFailureClassifier.Classify(error, endpoint.ToString()).Reply;
                facts["passwordSent"] = "yes";
                facts["reply"] = reply?.ToString() ?? error.Message;
                Add(ConnectionCheckStep.Authentication, ConnectionCheckStatus.Failed, started, facts,
                    endpoint.IsOAuth2 ? ForOAuthRefused(reply, ProviderName, endpoint.Login) : ForAuthenticationRefused(endpoint.Host, reply, endpoint.Login));
            }
            catch (Exception error) when (error is not OperationCanceledException || !callerToken.IsCancellationRequested)
            {
                facts["error"] = Describe(error);
                Add(ConnectionCheckStep.Authentication, ConnectionCheckStatus.Failed, started, facts,
                    IsTimeout(error) ? Hint(NoAnswer, ("seconds", Seconds(options.ProtocolTimeout))) : Hint(Unexpected, ("error", Describe(error))));
            }
        }

        private async Task QuitAsync(SmtpClient client, CancellationToken token)
        {
            var started = _clock.Elapsed;
            if (!client.IsConnected)
            {
                Add(ConnectionCheckStep.Quit, ConnectionCheckStatus.Skipped, started, Facts());
                return;
            }
            try
            {
                await WithTimeoutAsync(async t => { await client.DisconnectAsync(quit: true, t); return true; }, options.ProtocolTimeout, token);
                Add(ConnectionCheckStep.Quit, ConnectionCheckStatus.Ok, started, Facts(("messagesSent", "0")));
            }
            catch (Exception error) when (error is not OperationCanceledException || !callerToken.IsCancellationRequested)
            {
                // the check's verdict is made; a server that drops the line at QUIT is only worth a note
                Add(ConnectionCheckStep.Quit, ConnectionCheckStatus.Warning, started, Facts(("error", Describe(error))), Hint(Unexpected, ("error", Describe(error))));
            }
        }

        private void ObserveCertificate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, bool trusted)
        {
            var copy = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            var chainStatus = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, status) => all | status.Status) ?? X509ChainStatusFlags.NoError;
            _certificate = new ObservedCertificate(copy, errors, chainStatus, trusted, _clock.Elapsed);
        }

        /// <summary>Runs <paramref name="operation"/> bounded by <paramref name="timeout"/>; a timeout (also the overall one) becomes <see cref="TimeoutException"/>.</summary>
        private async Task<T> WithTimeoutAsync<T>(Func<CancellationToken, Task<T>> operation, TimeSpan timeout, CancellationToken token)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(token);
            limit.CancelAfter(timeout);
            try
            {
                return await operation(limit.Token);
            }
            catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No answer within {Seconds(timeout)} s.");
            }
        }

        private void Add(ConnectionCheckStep step, ConnectionCheckStatus status, TimeSpan started, Dictionary<string, string> facts, params ConnectionCheckHint[] hints) =>
            Add(step, status, started, _clock.Elapsed, facts, hints);

        private void Add(ConnectionCheckStep step, ConnectionCheckStatus status, TimeSpan started, TimeSpan ended, Dictionary<string, string> facts, params ConnectionCheckHint[] hints)
        {
            if (_steps.Any(result => result.Step == step)) return;
            var duration = (long)Math.Max(0, (ended - started).TotalMilliseconds);
            _steps.Add(new ConnectionCheckStepResult(step, status, duration, facts, hints));
        }

        private string Port => endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        private static ConnectionCheckStepResult Skipped(ConnectionCheckStep step) =>
            new(step, ConnectionCheckStatus.Skipped, 0, new Dictionary<string, string>(), []);

        private static Dictionary<string, string> Facts(params (string Key, string Value)[] facts) =>
            facts.ToDictionary(fact => fact.Key, fact => fact.Value);

        private static string YesNo(bool value) => value ? "yes" : "no";

        private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

        private static bool IsTimeout(Exception? error) => error switch
        {
            null => false,
            TimeoutException => true,
            SocketException { SocketErrorCode: SocketError.TimedOut } => true,
            _ => IsTimeout(error.InnerException),
        };

        /// <summary>The error's first line, and its innermost cause when that says more (e.g. "wrong version number").</summary>
        private static string Describe(Exception? error)
        {
            if (error is null) return "";
            var innermost = error;
            for (var depth = 0; innermost.InnerException is not null && depth < 8; depth++) innermost = innermost.InnerException;
            var first = error.Message.Split('\n', 2)[0].Trim();
            return ReferenceEquals(innermost, error) ? first : $"{first} ({innermost.Message.Split('\n', 2)[0].Trim()})";
        }

        /// <summary>The EHLO keywords (upper case) and their parameters, e.g. SIZE → "10240000", AUTH → "PLAIN LOGIN".</summary>
        private static Dictionary<string, string> Capabilities(SmtpExchange ehlo)
        {
            var capabilities = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in ehlo.ReplyLines.Skip(1).Where(line => line.Length > 4))
            {
                var parts = line[4..].Trim().Split(' ', 2);
                capabilities.TryAdd(parts[0].ToUpperInvariant(), parts.Length > 1 ? parts[1].Trim() : "");
            }
            return capabilities;
        }
    }

    /// <summary>A certificate the policy judged, with its verdict and when.</summary>
    private sealed record ObservedCertificate(X509Certificate2? Certificate, SslPolicyErrors Errors, X509ChainStatusFlags ChainStatus, bool Trusted, TimeSpan At);
}
