namespace Mailroom.Core.Localization;

public static partial class Messages
{
    static partial void RegisterBounceMessages()
    {
        Add(Queue.MessageSubmissionService.RecipientSuppressed,
            "'{value}' is on the suppression list: mail to it bounced for good ({status}). Nothing was queued; an administrator can lift the suppression.",
            "'{value}' jest na liście blokad: poczta na ten adres została trwale odrzucona ({status}). Nic nie zostało dodane do kolejki; administrator może zdjąć blokadę.");
        Add("suppression.notFound", "'{value}' is not on the suppression list.", "'{value}' nie jest na liście blokad.");
        Add("suppression.lifted", "The suppression of '{value}' is lifted; mail to it is accepted again.", "Blokada adresu '{value}' została zdjęta; poczta na ten adres jest znów przyjmowana.");
        Add("inbound.notFound", "There is no kept bounce-mailbox message '{value}'.", "Nie ma zachowanej wiadomości ze skrzynki zwrotów '{value}'.");
        Add("inbound.kindInvalid", "'{value}' is not a kind: use bounce, notice, autoReply or unparseable.", "'{value}' nie jest rodzajem: użyj bounce, notice, autoReply lub unparseable.");
        Add("replyToRelay.saved", "Reply-to relay settings saved.", "Zapisano ustawienia odpowiedzi bezpośredniej.");
        Add("replyToRelay.slugInvalid", "'{value}' cannot be the organisation's name in an address: use letters, digits, '.', '-' and '_' (at most 64).",
            "'{value}' nie może być nazwą organizacji w adresie: użyj liter, cyfr, '.', '-' i '_' (najwyżej 64).");
        Add("replyToRelay.domainInvalid", "'{value}' is not a domain name (e.g. events.example.net).", "'{value}' nie jest nazwą domeny (np. events.example.net).");
        Add("replyToRelay.incomplete", "Set both the organisation slug and the system events domain, or neither.", "Ustaw zarówno nazwę organizacji, jak i domenę zdarzeń systemu, albo żadnej.");
        Add("ui.status.bounced", "bounced (returned after sending)", "zwrócona (odbita po wysłaniu)");
        Add("ui.suppressions.title", "Suppression list", "Lista blokad");
        Add("ui.suppressions.intro", "Addresses whose mail bounced for good (5.x.x). New messages to them are refused at once. Lift an entry when the address works again.",
            "Adresy, na które poczta została trwale odrzucona (5.x.x). Nowe wiadomości do nich są od razu odrzucane. Zdejmij blokadę, gdy adres znów działa.");
        Add("ui.suppressions.address", "Address", "Adres");
        Add("ui.suppressions.status", "DSN status", "Status DSN");
        Add("ui.suppressions.reason", "Reason", "Powód");
        Add("ui.suppressions.since", "Since", "Od");
        Add("ui.suppressions.lift", "Lift", "Zdejmij blokadę");
        Add("ui.suppressions.empty", "No address is suppressed.", "Żaden adres nie jest zablokowany.");
        Add("ui.suppressions.inboundTitle", "Bounce mailbox", "Skrzynka zwrotów");
        Add("ui.suppressions.inboundIntro", "Everything read from the bounce mailbox, newest first. Nothing is dropped: mail Mailroom could not read is kept here.",
            "Wszystko, co odczytano ze skrzynki zwrotów, od najnowszych. Nic nie jest odrzucane: poczta, której Mailroom nie umiał odczytać, zostaje tutaj.");
        Add("ui.suppressions.kind", "Kind", "Rodzaj");
        Add("ui.suppressions.subject", "Subject", "Temat");
        Add("ui.suppressions.message", "Message", "Wiadomość");
        Add("ui.suppressions.detail", "What was done", "Co zrobiono");
        Add("ui.suppressions.inboundEmpty", "Nothing has arrived in the bounce mailbox.", "Do skrzynki zwrotów nic nie dotarło.");
        Add("ui.inbound.bounce", "bounce", "zwrot");
        Add("ui.inbound.notice", "delivery notice", "powiadomienie o doręczeniu");
        Add("ui.inbound.autoReply", "automatic reply", "automatyczna odpowiedź");
        Add("ui.inbound.unparseable", "unreadable (kept)", "nieczytelna (zachowana)");
    }
}
