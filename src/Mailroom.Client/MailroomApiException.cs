using System.Net;

namespace Mailroom.Client;

/// <summary>
/// The server answered with an error (ProblemDetails): <see cref="Exception.Message"/> is its
/// title in the requested language; <see cref="Issues"/> name each refused field.
/// </summary>
public sealed class MailroomApiException(HttpStatusCode statusCode, string message, string? code, IReadOnlyList<IssueView> issues)
    : Exception(message)
{
    /// <summary>The HTTP status: 400 validation, 401 no or bad key, 403 not allowed, 404 not found, 409 wrong state.</summary>
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The stable error code when the server gave one (e.g. <c>message.notFound</c>).</summary>
    public string? Code { get; } = code;

    /// <summary>Each refused field with its code and sentence; empty for errors that are not about fields.</summary>
    public IReadOnlyList<IssueView> Issues { get; } = issues;
}

/// <summary>The server could not be reached (refused, timed out, name not found): nothing was sent or changed.</summary>
public sealed class MailroomUnreachableException(Uri server, Exception inner)
    : Exception($"Cannot reach the Mailroom server at {server}: {inner.Message}", inner)
{
    /// <summary>The server address that was tried.</summary>
    public Uri Server { get; } = server;
}
