using Mailroom.Core.Settings.Validation;

namespace Mailroom.Core.Templates;

/// <summary>The codes of every template, notification and mailing problem (sentences in MessagesTemplates.cs).</summary>
public static class TemplateCodes
{
    /// <summary>The template text is not valid Handlebars; args: <c>detail</c>.</summary>
    public const string Syntax = "template.syntax";

    /// <summary>A placeholder names a field the data does not have; args: <c>name</c>.</summary>
    public const string MissingField = "template.missingField";

    /// <summary>Rendering failed for another reason; args: <c>detail</c>.</summary>
    public const string RenderFailed = "template.renderFailed";

    /// <summary>The rendered subject holds a line break (header injection refused).</summary>
    public const string SubjectLineBreak = "template.subject.lineBreak";

    /// <summary>The template has no content in that language; args: <c>value</c>, <c>template</c>.</summary>
    public const string LanguageMissing = "template.language.missing";

    /// <summary>Not one of the languages Mailroom speaks; args: <c>value</c>.</summary>
    public const string LanguageUnknown = "template.language.unknown";

    /// <summary>No template by that name (or version); args: <c>value</c>.</summary>
    public const string NotFound = "template.notFound";

    /// <summary>A name that is not lower-case letters, digits, - _ . (1–100).</summary>
    public const string NameInvalid = "template.name.invalid";

    /// <summary>A language without a subject.</summary>
    public const string SubjectRequired = "template.subject.required";

    /// <summary>A language without a text or HTML body.</summary>
    public const string BodyRequired = "template.body.required";

    /// <summary>The data (or sample data) is not a JSON object.</summary>
    public const string DataNotObject = "template.data.notObject";

    /// <summary>A mass mailing through a sender that uses the system relay; args: <c>mode</c>.</summary>
    public const string MailingNeedsOwnServer = "mailing.sender.needsOwnServer";

    /// <summary>The recipients file is neither CSV nor a JSON array; args: <c>detail</c>.</summary>
    public const string RecipientsUnreadable = "mailing.recipients.unreadable";

    /// <summary>The recipients file is missing.</summary>
    public const string RecipientsRequired = "mailing.recipients.required";

    /// <summary>A row without a recipient address.</summary>
    public const string RowAddressMissing = "mailing.row.addressMissing";

    /// <summary>A row whose attachment was not uploaded or could not be read; args: <c>name</c>.</summary>
    public const string RowAttachmentUnreadable = "mailing.row.attachmentUnreadable";

    /// <summary>A row that is not an object / has malformed fields; args: <c>detail</c>.</summary>
    public const string RowMalformed = "mailing.row.malformed";

    /// <summary>A row whose message carries an idempotency key its sender already used (before, or on an earlier row); args: <c>value</c>.</summary>
    public const string RowIdempotencyKeyUsed = "mailing.row.idempotencyKeyUsed";

    /// <summary>No mailing by that id; args: <c>value</c>.</summary>
    public const string MailingNotFound = "mailing.notFound";

    /// <summary>The action does not fit the mailing's state; args: <c>state</c>.</summary>
    public const string MailingWrongState = "mailing.wrongState";

    /// <summary>An issue with named arguments.</summary>
    public static ValidationIssue Issue(string field, string code, params (string Name, object? Value)[] args) =>
        new(field, code, IssueSeverity.Error, args.ToDictionary(a => a.Name, a => a.Value));
}
