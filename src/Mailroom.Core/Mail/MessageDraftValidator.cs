using Mailroom.Core.Settings.Validation;

namespace Mailroom.Core.Mail;

/// <summary>Size limits for one submitted message.</summary>
public sealed record MessageLimits
{
    /// <summary>To + Cc + Bcc together.</summary>
    public int MaxRecipients { get; init; } = 500;

    /// <summary>RFC 5322 caps a header line at 998 characters.</summary>
    public int MaxSubjectLength { get; init; } = 998;

    /// <summary>Each body (text, HTML), in characters.</summary>
    public int MaxBodyLength { get; init; } = 5_000_000;

    /// <summary>All attachments together, in bytes (25 MB, like most providers).</summary>
    public long MaxAttachmentBytes { get; init; } = 25L * 1024 * 1024;

    /// <summary>The defaults.</summary>
    public static MessageLimits Default { get; } = new();
}

/// <summary>
/// Checks a submitted message before it is stored: recipients are addresses, there is at least
/// one recipient and one body, the subject has no line breaks (no header injection), attachment
/// names are safe and sizes within limits. Every problem is reported at once, by field.
/// </summary>
public static class MessageDraftValidator
{
    public const string RecipientsRequired = "message.recipients.required";
    public const string RecipientInvalid = "message.recipient.invalid";
    public const string TooManyRecipients = "message.recipients.tooMany";
    public const string SubjectControlCharacters = "message.subject.controlCharacters";
    public const string SubjectTooLong = "message.subject.tooLong";
    public const string BodyRequired = "message.body.required";
    public const string BodyTooLong = "message.body.tooLong";
    public const string BodyControlCharacters = "message.body.controlCharacters";
    public const string AttachmentNameInvalid = "message.attachment.nameInvalid";
    public const string AttachmentContentTypeInvalid = "message.attachment.contentTypeInvalid";
    public const string AttachmentsTooLarge = "message.attachments.tooLarge";
    public const string IdempotencyKeyInvalid = "message.idempotencyKey.invalid";

    /// <summary>Every code the validator reports.</summary>
    public static IReadOnlyList<string> Codes { get; } =
    [
        RecipientsRequired, RecipientInvalid, TooManyRecipients, SubjectControlCharacters, SubjectTooLong, BodyRequired,
        BodyTooLong, BodyControlCharacters, AttachmentNameInvalid, AttachmentContentTypeInvalid, AttachmentsTooLarge, IdempotencyKeyInvalid,
    ];

    /// <summary>The draft trimmed (addresses, subject) and every issue found.</summary>
    public static (MessageDraft Normalized, IReadOnlyList<ValidationIssue> Issues) Validate(MessageDraft draft, MessageLimits limits)
    {
        var issues = new List<ValidationIssue>();
        void Error(string field, string code, params (string Name, object? Value)[] args) =>
            issues.Add(new ValidationIssue(field, code, IssueSeverity.Error, args.ToDictionary(a => a.Name, a => a.Value)));

        var to = Clean(draft.To);
        var cc = Clean(draft.Cc);
        var bcc = Clean(draft.Bcc);
        if (to.Count + cc.Count + bcc.Count == 0) Error("to", RecipientsRequired);
        if (to.Count + cc.Count + bcc.Count > limits.MaxRecipients) Error("to", TooManyRecipients, ("max", limits.MaxRecipients));
        foreach (var (field, list) in new[] { ("to", to), ("cc", cc), ("bcc", bcc) })
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (!EmailAddressRules.IsValidAddress(list[i])) Error($"{field}[{i}]", RecipientInvalid, ("value", list[i]));
            }
        }

        var subject = draft.Subject ?? "";
        if (subject.Any(char.IsControl)) Error("subject", SubjectControlCharacters);
        else if (subject.Length > limits.MaxSubjectLength) Error("subject", SubjectTooLong, ("max", limits.MaxSubjectLength));

        if (string.IsNullOrEmpty(draft.TextBody) && string.IsNullOrEmpty(draft.HtmlBody)) Error("text", BodyRequired);
        foreach (var (field, body) in new[] { ("text", draft.TextBody), ("html", draft.HtmlBody) })
        {
            if (body is null) continue;
            if (body.Length > limits.MaxBodyLength) Error(field, BodyTooLong, ("max", limits.MaxBodyLength));
            if (body.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t'))) Error(field, BodyControlCharacters);
        }

        long total = 0;
        for (var i = 0; i < draft.Attachments.Count; i++)
        {
            var a = draft.Attachments[i];
            total += a.Content.LongLength;
            if (string.IsNullOrWhiteSpace(a.FileName) || a.FileName.Length > 255 || a.FileName.Any(char.IsControl) || a.FileName.IndexOfAny(['/', '\\']) >= 0)
                Error($"attachments[{i}].fileName", AttachmentNameInvalid);
            if (!MimeKit.ContentType.TryParse(a.ContentType ?? "", out _) || a.ContentType!.Any(char.IsControl))
                Error($"attachments[{i}].contentType", AttachmentContentTypeInvalid, ("value", a.ContentType));
        }
        if (total > limits.MaxAttachmentBytes) Error("attachments", AttachmentsTooLarge, ("max", limits.MaxAttachmentBytes / (1024 * 1024)));

        if (draft.IdempotencyKey is { } key && (key.Length is 0 or > 200 || key.Any(char.IsControl)))
            Error("idempotencyKey", IdempotencyKeyInvalid);

        return (draft with { To = to, Cc = cc, Bcc = bcc, Subject = subject.Trim() }, issues);
    }

    private static List<string> Clean(IReadOnlyList<string>? addresses) =>
        (addresses ?? []).Select(a => a?.Trim() ?? "").ToList();
}
