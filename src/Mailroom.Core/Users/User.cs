namespace Mailroom.Core.Users;

/// <summary>What a user may do.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<Role>))]
public enum Role
{
    /// <summary>Reads and changes only their own profile.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("user")] User,

    /// <summary>Manages the global profile, the shared sender, the port policy and every user.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("administrator")] Administrator,
}

/// <summary>A person or application that sends through Mailroom.</summary>
/// <param name="Id">Stable identifier (the host application's user code, or generated).</param>
/// <param name="Email">The user's address: their default From.</param>
/// <param name="DisplayName">The user's name: their default display name.</param>
/// <param name="Role">What the user may do.</param>
/// <param name="CreatedAt">When the user was created.</param>
public sealed record User(string Id, string Email, string DisplayName, Role Role, DateTimeOffset CreatedAt)
{
    /// <summary>True for administrators.</summary>
    public bool IsAdministrator => Role == Role.Administrator;
}
