namespace Mailroom.Cli;

/// <summary>What <c>mailroom</c> exits with (documented in docs/cli.md; scripts rely on these numbers).</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>Something unexpected: a server error (5xx), a bug.</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong: unknown option, missing argument, unreadable file.</summary>
    public const int Usage = 2;

    /// <summary>The server refused the input (400): the fields are named; nothing was changed.</summary>
    public const int Validation = 3;

    /// <summary>No API key, an unknown or revoked one (401), or one that may not do this (403).</summary>
    public const int Auth = 4;

    /// <summary>No such message, user or key (404).</summary>
    public const int NotFound = 5;

    /// <summary>The server did not answer (not running, wrong address, timeout).</summary>
    public const int Unreachable = 6;

    /// <summary>The thing is in the wrong state for this (409): e.g. cancelling a message already sent.</summary>
    public const int Conflict = 7;

    /// <summary>The work ran and its outcome is bad: the connection check failed, a waited-for message failed or was held.</summary>
    public const int Unsuccessful = 8;
}

/// <summary>A command-line mistake found by a command (exit code <see cref="ExitCodes.Usage"/>).</summary>
public sealed class CliUsageException(string message) : Exception(message);

/// <summary>The work was done and its outcome is bad (exit code <see cref="ExitCodes.Unsuccessful"/>); already reported.</summary>
public sealed class CliUnsuccessfulException(string message) : Exception(message);
