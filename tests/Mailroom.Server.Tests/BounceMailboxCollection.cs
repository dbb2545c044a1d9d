namespace Mailroom.Server.Tests;

/// <summary>
/// Tests whose server reads the test bed's one bounce mailbox. They must not run at the same
/// time: each server's poller marks every DSN it reads as processed — one about another server's
/// message as well ("not in the queue") — so a parallel test's DSN would be used up before its
/// own server saw it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BounceMailboxCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "The test bed's bounce mailbox";
}
