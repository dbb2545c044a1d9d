using System.Security.Cryptography;
using System.Text;

namespace Mailroom.Core.Users;

/// <summary>
/// An API key as stored: only a SHA-256 hash of the key is kept. Keys are 256 random bits, so
/// a plain (unsalted) hash is enough to make a stolen database useless for authentication.
/// </summary>
/// <param name="Id">Short public identifier, shown in lists and used to revoke.</param>
/// <param name="UserId">The user the key acts as.</param>
/// <param name="Name">What the key is for, e.g. "ERP production".</param>
/// <param name="Hash">Hex SHA-256 of the whole key.</param>
/// <param name="CreatedAt">When it was made.</param>
public sealed record ApiKey(string Id, string UserId, string Name, string Hash, DateTimeOffset CreatedAt)
{
    /// <summary>When the key was revoked, or null while it works.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The prefix every generated key starts with, so secret scanners can spot a leaked one.</summary>
    public const string Prefix = "mr_";

    /// <summary>Makes a new random key for <paramref name="userId"/>; the plain key is returned once and never stored.</summary>
    public static (ApiKey Key, string PlainKey) Generate(string userId, string name, DateTimeOffset now)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var plain = $"{Prefix}{id}_{secret}";
        return (new ApiKey(id, userId, name, HashOf(plain), now), plain);
    }

    /// <summary>Stores a key chosen by the operator (the bootstrap administrator key).</summary>
    public static ApiKey FromPlain(string id, string userId, string name, string plainKey, DateTimeOffset now) =>
        new(id, userId, name, HashOf(plainKey), now);

    /// <summary>The hash under which <paramref name="plainKey"/> is stored and looked up.</summary>
    public static string HashOf(string plainKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plainKey)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
