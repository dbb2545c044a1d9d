using System.Security.Cryptography;

namespace Mailroom.Core.Storage;

/// <summary>
/// Attachment bytes are stored once per distinct content, keyed by their SHA-256 (lowercase hex),
/// and each message's attachment row refers to that key: a mailing that attaches the same file to
/// every message stores the file once. Every backend computes the key here, so the keys match.
/// </summary>
public static class AttachmentContents
{
    /// <summary>The storage key of <paramref name="content"/>: its SHA-256 as lowercase hex.</summary>
    public static string KeyOf(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>
    /// Keys for one write (a transaction): the same byte array — every row of a mailing shares its
    /// uploaded file's — is hashed once, and <see cref="IsNew"/> tells which contents this write has
    /// not stored yet.
    /// </summary>
    public sealed class Keys
    {
        private readonly Dictionary<byte[], string> _byArray = new(ReferenceEqualityComparer.Instance);
        private readonly HashSet<string> _stored = new(StringComparer.Ordinal);

        /// <summary>The key of <paramref name="content"/>, hashed once per array.</summary>
        public string Of(byte[] content)
        {
            if (!_byArray.TryGetValue(content, out var key)) _byArray[content] = key = KeyOf(content);
            return key;
        }

        /// <summary>True the first time <paramref name="key"/> is seen by this write: its content must be stored (if absent).</summary>
        public bool IsNew(string key) => _stored.Add(key);
    }
}
