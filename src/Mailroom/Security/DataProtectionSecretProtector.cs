using Mailroom.Core.Security;
using Microsoft.AspNetCore.DataProtection;

namespace Mailroom.Hosting;

/// <summary>
/// Encrypts secrets with ASP.NET Core Data Protection (AES-256-CBC + HMAC-SHA256, keys rotated
/// every 90 days and kept in <c>&lt;data&gt;/keys</c>, outside the database).
/// </summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("Mailroom.Secrets.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedValue) => _protector.Unprotect(protectedValue);
}
