using Mailroom.Core.Delivery;
using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Security;
using Mailroom.Core.Settings;

namespace Mailroom.Delivery.Tests.Delivery;

/// <summary>Messages, sender settings and agents for delivery tests.</summary>
public static class DeliveryTestData
{
    /// <summary>Short enough that timeout tests stay quick, long enough for a loaded CI machine.</summary>
    public static readonly TimeSpan TestCommandTimeout = TimeSpan.FromSeconds(2);

    public static QueuedMessage Queued(MessageDraft draft, string? id = null)
    {
        var now = DateTimeOffset.UtcNow;
        return new QueuedMessage
        {
            Id = id ?? "msg-" + Guid.NewGuid().ToString("N"),
            Draft = draft,
            Status = MessageStatus.Sending,
            CreatedAt = now,
            UpdatedAt = now,
            NextAttemptAt = now,
        };
    }

    public static QueuedMessage Queued(params string[] to) =>
        Queued(new MessageDraft { To = to, Subject = "Test " + Guid.NewGuid().ToString("N")[..8], TextBody = "Hello." });

    /// <summary>An own-SMTP sender on <paramref name="host"/>:<paramref name="port"/>, no authentication.</summary>
    public static EffectiveSenderSettings OwnSmtp(string host, int port, EncryptionMode encryption = EncryptionMode.None) => new()
    {
        Enabled = true,
        FromAddress = "testuser@example.test",
        DisplayName = "Test User",
        Host = host,
        Port = port,
        Encryption = encryption,
        Authentication = AuthenticationMethod.None,
        SenderMode = SenderMode.OwnSmtp,
        Sources = new Dictionary<string, SettingSource>(),
    };

    public static EffectiveSenderSettings WithPassword(this EffectiveSenderSettings sender, string login, string password) => sender with
    {
        Authentication = AuthenticationMethod.Password,
        Login = login,
        ProtectedPassword = ReversibleSecretProtector.Prefix + password,
    };

    public static SmtpDeliveryAgent Agent(SmtpDeliveryOptions? options = null, TimeProvider? time = null) =>
        new(options ?? new SmtpDeliveryOptions { CommandTimeout = TestCommandTimeout }, new ReversibleSecretProtector(), time);

    /// <summary>"Encrypts" by a prefix: the agent must call Unprotect, and a value without the prefix fails like a wrong key.</summary>
    public sealed class ReversibleSecretProtector : ISecretProtector
    {
        public const string Prefix = "protected:";

        public string Protect(string plaintext) => Prefix + plaintext;

        public string Unprotect(string protectedValue) => protectedValue.StartsWith(Prefix, StringComparison.Ordinal)
            ? protectedValue[Prefix.Length..]
            : throw new System.Security.Cryptography.CryptographicException("not protected with this key");
    }
}
