using System.Text.Json.Serialization;
using Mailroom.Core.Localization;
using Mailroom.Core.Settings;

namespace Mailroom.Core.Delivery.ConnectionCheck;

/// <summary>How one step, or the whole check, went.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConnectionCheckStatus>))]
public enum ConnectionCheckStatus
{
    /// <summary>Worked.</summary>
    [JsonStringEnumMemberName("ok")] Ok,

    /// <summary>Worked, but something deserves attention (no encryption, certificate expiring soon, …).</summary>
    [JsonStringEnumMemberName("warning")] Warning,

    /// <summary>Did not work; the hints say what to change.</summary>
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>Not run: not needed for these settings, or an earlier step failed.</summary>
    [JsonStringEnumMemberName("skipped")] Skipped,
}

/// <summary>The steps of a connection check, in the order they can happen.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConnectionCheckStep>))]
public enum ConnectionCheckStep
{
    /// <summary>Resolve the server name to addresses.</summary>
    [JsonStringEnumMemberName("dns")] Dns,

    /// <summary>Open the TCP connection.</summary>
    [JsonStringEnumMemberName("connect")] Connect,

    /// <summary>Implicit TLS handshake (SSL/TLS, usual on 465), before any SMTP.</summary>
    [JsonStringEnumMemberName("tls")] Tls,

    /// <summary>The server's 220 greeting.</summary>
    [JsonStringEnumMemberName("greeting")] Greeting,

    /// <summary>EHLO and the capabilities the server announces.</summary>
    [JsonStringEnumMemberName("ehlo")] Ehlo,

    /// <summary>STARTTLS and its TLS handshake (or why the connection stays unencrypted).</summary>
    [JsonStringEnumMemberName("startTls")] StartTls,

    /// <summary>EHLO again inside TLS: the capabilities that count from then on.</summary>
    [JsonStringEnumMemberName("ehloAfterStartTls")] EhloAfterStartTls,

    /// <summary>SMTP AUTH with the profile's login and password.</summary>
    [JsonStringEnumMemberName("auth")] Authentication,

    /// <summary>QUIT: the session ends without sending anything.</summary>
    [JsonStringEnumMemberName("quit")] Quit,
}

/// <summary>Something a person can do about a failure or warning, as a code with arguments; rendered per language.</summary>
/// <param name="Code">Stable code, e.g. <c>certificate.untrusted</c>; the sentence is <c>check.hint.{Code}</c> in <see cref="Messages"/>.</param>
/// <param name="Args">Values quoted by the sentence (host, port, fingerprint, server reply, …).</param>
public sealed record ConnectionCheckHint(string Code, IReadOnlyDictionary<string, string> Args)
{
    /// <summary>The prefix of hint sentences in <see cref="Messages"/>.</summary>
    public const string MessagePrefix = "check.hint.";

    /// <summary>The hint as a sentence in <paramref name="language"/> ("en" or "pl").</summary>
    public string MessageIn(string language) =>
        Messages.Format(MessagePrefix + Code, language, Args.ToDictionary(pair => pair.Key, pair => (object?)pair.Value));
}

/// <summary>One step of the check: what ran, how it went, how long it took, what it saw, and what to do.</summary>
/// <param name="Step">Which step.</param>
/// <param name="Status">How it went.</param>
/// <param name="DurationMs">Wall time of the step in milliseconds (0 when skipped).</param>
/// <param name="Details">Facts observed, e.g. <c>protocol</c>, <c>subject</c>, <c>sha256</c>, <c>auth</c>.</param>
/// <param name="Hints">For a failure or warning: what a person can do about it.</param>
public sealed record ConnectionCheckStepResult(
    ConnectionCheckStep Step,
    ConnectionCheckStatus Status,
    long DurationMs,
    IReadOnlyDictionary<string, string> Details,
    IReadOnlyList<ConnectionCheckHint> Hints)
{
    /// <summary>The step's name in <paramref name="language"/>.</summary>
    public string NameIn(string language) => Messages.Format(NameCode(Step), language);

    /// <summary>The message code of a step's name, e.g. <c>check.step.startTls</c>.</summary>
    public static string NameCode(ConnectionCheckStep step) => "check.step." + StepCode(step);

    /// <summary>The step's code as it appears in JSON, e.g. <c>ehloAfterStartTls</c>.</summary>
    public static string StepCode(ConnectionCheckStep step) => step switch
    {
        ConnectionCheckStep.Authentication => "auth",
        _ => char.ToLowerInvariant(step.ToString()[0]) + step.ToString()[1..],
    };
}

/// <summary>
/// The result of checking a sender profile's SMTP server without sending anything. Serializes
/// as codes (camelCase statuses and steps, hint codes with arguments); <see cref="Localize"/>
/// adds the sentences for one language.
/// </summary>
/// <param name="Endpoint">"host:port" that was checked (never credentials).</param>
/// <param name="Encryption">The encryption the profile asks for.</param>
/// <param name="Authentication">The authentication the profile uses.</param>
/// <param name="StartedAt">When the check started.</param>
/// <param name="Status">Failed when any step failed, warning when any warned, otherwise ok.</param>
/// <param name="DurationMs">Wall time of the whole check.</param>
/// <param name="Steps">Every step, in order, including skipped ones.</param>
public sealed record ConnectionCheckReport(
    string Endpoint,
    EncryptionMode Encryption,
    AuthenticationMethod Authentication,
    DateTimeOffset StartedAt,
    ConnectionCheckStatus Status,
    long DurationMs,
    IReadOnlyList<ConnectionCheckStepResult> Steps)
{
    /// <summary>The result of <paramref name="step"/>, or null when the check has no such step for these settings.</summary>
    public ConnectionCheckStepResult? StepOf(ConnectionCheckStep step) => Steps.FirstOrDefault(result => result.Step == step);

    /// <summary>Every hint of every step, in order.</summary>
    public IEnumerable<ConnectionCheckHint> AllHints => Steps.SelectMany(step => step.Hints);

    /// <summary>One line saying how the check went, in <paramref name="language"/>.</summary>
    public string SummaryIn(string language)
    {
        var args = new Dictionary<string, object?> { ["endpoint"] = Endpoint, ["ms"] = DurationMs };
        var notable = Steps.FirstOrDefault(step => step.Status == ConnectionCheckStatus.Failed)
            ?? Steps.FirstOrDefault(step => step.Status == ConnectionCheckStatus.Warning);
        if (notable is null) return Messages.Format("check.summary.ok", language, args);
        args["step"] = notable.NameIn(language);
        args["hint"] = notable.Hints.Count > 0 ? notable.Hints[0].MessageIn(language) : "";
        var code = notable.Status == ConnectionCheckStatus.Failed ? "check.summary.failed" : "check.summary.warning";
        return Messages.Format(code, language, args).TrimEnd();
    }

    /// <summary>The report with every sentence rendered in <paramref name="language"/>, ready for the API and UI.</summary>
    public LocalizedConnectionCheck Localize(string language) => new(
        Endpoint, Encryption, Authentication, StartedAt, Status, DurationMs, SummaryIn(language),
        Steps.Select(step => new LocalizedConnectionCheckStep(
            step.Step, step.NameIn(language), step.Status, step.DurationMs, step.Details,
            step.Hints.Select(hint => new LocalizedConnectionCheckHint(hint.Code, hint.MessageIn(language), hint.Args)).ToList())).ToList());
}

/// <summary>A <see cref="ConnectionCheckReport"/> with its sentences in one language.</summary>
/// <param name="Endpoint">"host:port".</param>
/// <param name="Encryption">The encryption the profile asks for.</param>
/// <param name="Authentication">The authentication the profile uses.</param>
/// <param name="StartedAt">When the check started.</param>
/// <param name="Status">Overall status.</param>
/// <param name="DurationMs">Wall time of the whole check.</param>
/// <param name="Summary">One line saying how it went.</param>
/// <param name="Steps">Every step, in order.</param>
public sealed record LocalizedConnectionCheck(
    string Endpoint,
    EncryptionMode Encryption,
    AuthenticationMethod Authentication,
    DateTimeOffset StartedAt,
    ConnectionCheckStatus Status,
    long DurationMs,
    string Summary,
    IReadOnlyList<LocalizedConnectionCheckStep> Steps);

/// <summary>One step with its name and hints in one language.</summary>
/// <param name="Step">Which step.</param>
/// <param name="Name">Its name.</param>
/// <param name="Status">How it went.</param>
/// <param name="DurationMs">Wall time in milliseconds.</param>
/// <param name="Details">Facts observed.</param>
/// <param name="Hints">What to do about it.</param>
public sealed record LocalizedConnectionCheckStep(
    ConnectionCheckStep Step,
    string Name,
    ConnectionCheckStatus Status,
    long DurationMs,
    IReadOnlyDictionary<string, string> Details,
    IReadOnlyList<LocalizedConnectionCheckHint> Hints);

/// <summary>A hint's code, its sentence in one language, and the values it quotes.</summary>
/// <param name="Code">Stable code.</param>
/// <param name="Message">The sentence.</param>
/// <param name="Args">The values it quotes (e.g. the fingerprint to pin).</param>
public sealed record LocalizedConnectionCheckHint(string Code, string Message, IReadOnlyDictionary<string, string> Args);
