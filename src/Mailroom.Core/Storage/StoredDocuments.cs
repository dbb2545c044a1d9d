using System.Text.Json;
using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Settings;
using Mailroom.Core.Users;

namespace Mailroom.Core.Storage;

/// <summary>
/// The JSON documents every backend stores in the same shape — a message's draft without its
/// attachments, per-recipient outcomes, a history entry's reply — so that SQLite and PostgreSQL
/// read and write them identically. Each backend keeps its own SQL; only these shapes are shared.
/// </summary>
public static class StoredDocuments
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The draft as stored: everything but the attachments, which have their own table.</summary>
    public static string SerializeDraft(MessageDraft draft) => JsonSerializer.Serialize(DraftDocument.From(draft), Json);

    /// <summary>A draft read back, with its <paramref name="attachments"/> from their own table.</summary>
    public static MessageDraft DeserializeDraft(string json, IReadOnlyList<MessageAttachment> attachments) =>
        JsonSerializer.Deserialize<DraftDocument>(json, Json)!.ToDraft(attachments);

    /// <summary>Per-recipient outcomes as stored with a history entry; null stays null.</summary>
    public static string? SerializeRecipients(IReadOnlyList<RecipientOutcome>? recipients) =>
        recipients is null ? null : JsonSerializer.Serialize(recipients, Json);

    /// <summary>A value (settings, lists) serialized the way the stores write JSON columns.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    /// <summary>A JSON column read back.</summary>
    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Json);

    /// <summary>A history row read back as an entry.</summary>
    public static MessageHistoryEntry ToHistoryEntry(
        DateTimeOffset at, string status, string reason, long? replyCode, string? replyEnhancedCode, string? replyText, string? recipientsJson) =>
        new(at, MessageStatuses.Parse(status)!.Value, reason,
            replyCode is { } code ? new SmtpReply((int)code, replyEnhancedCode, replyText ?? "") : null,
            recipientsJson is null ? null : JsonSerializer.Deserialize<RecipientOutcome[]>(recipientsJson, Json));

    /// <summary>The reason a claim records: a claim of a message whose lease ran out says so, since its earlier worker may have sent it.</summary>
    public static string ClaimReason(string previousStatus) =>
        previousStatus == "sending" ? "Claimed again: the previous worker's lease expired." : "Claimed for delivery.";

    /// <summary>The reason the first history entry of a new message records: queued, or held because its mailing is paused.</summary>
    public static string ArrivalReason(MessageStatus status) => status == MessageStatus.Held ? "Held: its mailing is paused." : "Queued.";

    /// <summary>A role as stored in <c>users.role</c>.</summary>
    public static string RoleName(Role role) => role == Role.Administrator ? "administrator" : "user";

    /// <summary>A user row read back.</summary>
    public static User ToUser(string id, string email, string displayName, string role, DateTimeOffset createdAt) =>
        new(id, email, displayName, role == "administrator" ? Role.Administrator : Role.User, createdAt);

    /// <summary>The error for a taken user id.</summary>
    public static DuplicateException DuplicateUserId(User user) => new("id", $"A user with id '{user.Id}' already exists.");

    /// <summary>The error for a taken e-mail address.</summary>
    public static DuplicateException DuplicateEmail(User user) => new("email", $"A user with the address '{user.Email}' already exists.");

    /// <summary>A stored sender profile read back, with its password ciphertext from its own column.</summary>
    public static SenderProfile ToProfile(string profileJson, string? protectedPassword) =>
        (Deserialize<SenderProfile>(profileJson) ?? SenderProfile.Empty) with { ProtectedPassword = protectedPassword };

    /// <summary>The deployment settings row read back; defaults when none was saved (<paramref name="additionalPortsJson"/> null).</summary>
    public static DeploymentSettings ToDeploymentSettings(string? sharedSenderUserId, string? additionalPortsJson, string? replyToRelayJson = null) =>
        additionalPortsJson is null
            ? DeploymentSettings.Default
            : new DeploymentSettings
            {
                SharedSenderUserId = sharedSenderUserId,
                PortPolicy = new PortPolicy { AdditionalPorts = Deserialize<int[]>(additionalPortsJson) ?? [] },
                ReplyToRelay = replyToRelayJson is null ? ReplyToRelaySettings.Empty : Deserialize<ReplyToRelaySettings>(replyToRelayJson) ?? ReplyToRelaySettings.Empty,
            };

    private sealed record DraftDocument(
        string? SenderUserId, IReadOnlyList<string> To, IReadOnlyList<string> Cc, IReadOnlyList<string> Bcc, string Subject,
        string? TextBody, string? HtmlBody, string? IdempotencyKey, DateTimeOffset? SendAfter, MessagePriority Priority,
        Templates.TemplateReference? Template = null)
    {
        public static DraftDocument From(MessageDraft d) =>
            new(d.SenderUserId, d.To, d.Cc, d.Bcc, d.Subject, d.TextBody, d.HtmlBody, d.IdempotencyKey, d.SendAfter, d.Priority, d.Template);

        public MessageDraft ToDraft(IReadOnlyList<MessageAttachment> attachments) => new()
        {
            SenderUserId = SenderUserId, To = To, Cc = Cc, Bcc = Bcc, Subject = Subject, TextBody = TextBody, HtmlBody = HtmlBody,
            IdempotencyKey = IdempotencyKey, SendAfter = SendAfter, Priority = Priority, Attachments = attachments, Template = Template,
        };
    }
}
