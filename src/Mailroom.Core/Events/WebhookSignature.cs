using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mailroom.Core.Events;

/// <summary>
/// How a webhook delivery is signed: <c>HMAC-SHA256(secret, timestamp + "." + body)</c> in lowercase
/// hex, the key being the secret's UTF-8 bytes and the timestamp Unix seconds. The receiver
/// recomputes it, compares in constant time and refuses timestamps too far from its clock (replay).
/// </summary>
public static class WebhookSignature
{
    /// <summary>Header with the Unix time (seconds) the delivery was signed at.</summary>
    public const string TimestampHeader = "Mailroom-Timestamp";

    /// <summary>Header with <c>v1=&lt;hex HMAC&gt;</c>.</summary>
    public const string SignatureHeader = "Mailroom-Signature";

    /// <summary>Header with the event's type.</summary>
    public const string EventTypeHeader = "Mailroom-Event";

    /// <summary>Header with the delivery's id (the same on every retry of one event to one endpoint).</summary>
    public const string DeliveryHeader = "Mailroom-Delivery";

    /// <summary>Prefix of a secret: <c>whsec_</c> and 43 base64url characters (256 random bits).</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>A new random secret.</summary>
    public static string NewSecret() =>
        SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The value of <see cref="SignatureHeader"/>: <c>v1=</c> and the hex HMAC.</summary>
    public static string Sign(string secret, long timestamp, string body) =>
        "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body)));

    /// <summary>True when <paramref name="signature"/> signs <paramref name="body"/> at <paramref name="timestamp"/> and the timestamp is within <paramref name="tolerance"/> of <paramref name="now"/>.</summary>
    public static bool Verify(string secret, string timestamp, string body, string signature, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, seconds, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }
}
