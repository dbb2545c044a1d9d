using System.Security.Claims;
using Mailroom.Core.Settings;
using Mailroom.Server.Security;

namespace Mailroom.Server.OAuth;

/// <summary>Which profile a sign-in is for, as named in forms and the API, and who may touch it.</summary>
public static class OAuthScopes
{
    /// <summary>
    /// "global" (administrators), "me" (the caller) or "user:&lt;id&gt;" (that user or an administrator);
    /// null when the name is unknown or the caller may not act for it.
    /// </summary>
    public static ProfileScope? Resolve(string? name, ClaimsPrincipal caller)
    {
        switch (name)
        {
            case "global":
                return caller.IsAdministrator() ? ProfileScope.Global : null;
            case "me":
                return ProfileScope.ForUser(caller.Id());
            case { } text when text.StartsWith("user:", StringComparison.Ordinal) && text.Length > 5:
                var userId = text[5..];
                return caller.MayActFor(userId) ? ProfileScope.ForUser(userId) : null;
            default:
                return null;
        }
    }
}
