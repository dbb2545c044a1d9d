namespace Mailroom.Core.Settings;

/// <summary>Which sender profile: the global one, or one user's.</summary>
public readonly record struct ProfileScope
{
    private ProfileScope(string? userId) => UserId = userId;

    /// <summary>The user whose profile this is; null for the global profile.</summary>
    public string? UserId { get; }

    /// <summary>True for the global profile.</summary>
    public bool IsGlobal => UserId is null;

    /// <summary>The company's global profile.</summary>
    public static ProfileScope Global => new(null);

    /// <summary>The profile of <paramref name="userId"/>.</summary>
    public static ProfileScope ForUser(string userId) => new(userId ?? throw new ArgumentNullException(nameof(userId)));

    /// <summary>"global" or "user:&lt;id&gt;": the key under which the profile is stored and audited.</summary>
    public override string ToString() => IsGlobal ? "global" : "user:" + UserId;
}
