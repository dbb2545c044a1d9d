namespace Mailroom.Core.Templates;

/// <summary>
/// The templates every installation starts with. Each is saved as version 1 the first time it is
/// used; an administrator's save makes version 2 and so on.
/// </summary>
public static class BuiltInTemplates
{
    /// <summary>"A document was handed over to you."</summary>
    public const string DocumentHandedOver = "document-handed-over";

    /// <summary>"A document is overdue."</summary>
    public const string OverdueReminder = "overdue-reminder";

    private const string Sample = """
        {"recipientName":"Anna Nowak","documentName":"Faktura VAT","documentNumber":"FV/2026/11/042","link":"https://dms.example.com/documents/42","dueDate":"2026-12-06","handedOverBy":"Jan Kowalski"}
        """;

    /// <summary>Every built-in template, by name.</summary>
    public static IReadOnlyDictionary<string, MessageTemplate> All { get; } = new Dictionary<string, MessageTemplate>(StringComparer.Ordinal)
    {
        [DocumentHandedOver] = new()
        {
            Name = DocumentHandedOver,
            Version = 1,
            Description = "Document handed over / Przekazanie dokumentu",
            SampleDataJson = Sample,
            CreatedAt = DateTimeOffset.UnixEpoch,
            Languages = new Dictionary<string, TemplateContent>
            {
                ["en"] = new(
                    "{{handedOverBy}} handed over {{documentName}} {{documentNumber}} to you",
                    "Hello {{recipientName}},\n\n{{handedOverBy}} handed over the document {{documentName}} (no. {{documentNumber}}) to you.\nPlease deal with it by {{dueDate}}.\n\nOpen the document: {{link}}",
                    "<p>Hello {{recipientName}},</p><p>{{handedOverBy}} handed over the document <strong>{{documentName}}</strong> (no. {{documentNumber}}) to you.<br>Please deal with it by <strong>{{dueDate}}</strong>.</p><p><a href=\"{{link}}\">Open the document</a></p>"),
                ["pl"] = new(
                    "{{handedOverBy}} przekazał(a) Ci dokument {{documentName}} {{documentNumber}}",
                    "Dzień dobry {{recipientName}},\n\n{{handedOverBy}} przekazał(a) Ci dokument {{documentName}} (nr {{documentNumber}}).\nTermin załatwienia: {{dueDate}}.\n\nOtwórz dokument: {{link}}",
                    "<p>Dzień dobry {{recipientName}},</p><p>{{handedOverBy}} przekazał(a) Ci dokument <strong>{{documentName}}</strong> (nr {{documentNumber}}).<br>Termin załatwienia: <strong>{{dueDate}}</strong>.</p><p><a href=\"{{link}}\">Otwórz dokument</a></p>"),
            },
        },
        [OverdueReminder] = new()
        {
            Name = OverdueReminder,
            Version = 1,
            Description = "Overdue reminder / Przypomnienie o przekroczonym terminie",
            SampleDataJson = Sample,
            CreatedAt = DateTimeOffset.UnixEpoch,
            Languages = new Dictionary<string, TemplateContent>
            {
                ["en"] = new(
                    "Reminder: {{documentName}} {{documentNumber}} was due on {{dueDate}}",
                    "Hello {{recipientName}},\n\nthe document {{documentName}} (no. {{documentNumber}}), handed over to you by {{handedOverBy}}, was due on {{dueDate}} and is still open.\n\nOpen the document: {{link}}",
                    "<p>Hello {{recipientName}},</p><p>the document <strong>{{documentName}}</strong> (no. {{documentNumber}}), handed over to you by {{handedOverBy}}, was due on <strong>{{dueDate}}</strong> and is still open.</p><p><a href=\"{{link}}\">Open the document</a></p>"),
                ["pl"] = new(
                    "Przypomnienie: termin dokumentu {{documentName}} {{documentNumber}} minął {{dueDate}}",
                    "Dzień dobry {{recipientName}},\n\ntermin dokumentu {{documentName}} (nr {{documentNumber}}), przekazanego przez {{handedOverBy}}, minął {{dueDate}}, a dokument jest nadal otwarty.\n\nOtwórz dokument: {{link}}",
                    "<p>Dzień dobry {{recipientName}},</p><p>termin dokumentu <strong>{{documentName}}</strong> (nr {{documentNumber}}), przekazanego przez {{handedOverBy}}, minął <strong>{{dueDate}}</strong>, a dokument jest nadal otwarty.</p><p><a href=\"{{link}}\">Otwórz dokument</a></p>"),
            },
        },
    };
}
