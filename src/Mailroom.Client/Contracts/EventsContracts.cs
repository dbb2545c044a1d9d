using Mailroom.Core.Events;

namespace Mailroom.Client;

/// <summary>A page of the events log: pass <see cref="Next"/> back as <c>after</c> to read on (also to poll for new events).</summary>
/// <param name="Items">The events, oldest first.</param>
/// <param name="Next">The id of the last event returned (or the <c>after</c> given when none was).</param>
/// <param name="HasMore">True when more events match right now.</param>
public sealed record EventListView(IReadOnlyList<EventPayload> Items, long Next, bool HasMore);
