namespace Mailroom.Core.Security;

/// <summary>
/// Encrypts secrets (SMTP passwords, OAuth tokens) before they are stored. The key lives
/// outside the database, so a copy of the database alone reveals no secret.
/// </summary>
public interface ISecretProtector
{
    /// <summary>Encrypts <paramref name="plaintext"/> into an opaque, storable string.</summary>
    string Protect(string plaintext);

    /// <summary>Decrypts what <see cref="Protect"/> produced.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The value was not produced with a known key or was tampered with.</exception>
    string Unprotect(string protectedValue);
}
