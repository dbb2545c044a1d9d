using Mailroom.Core.Events;

namespace Mailroom.Core.Localization;

public static partial class Messages
{
    static partial void RegisterEventsMessages()
    {
        Add(WebhookService.UrlRequired, "Type the URL the events should be sent to.", "Wpisz adres URL, na który mają być wysyłane zdarzenia.");
        Add(WebhookService.UrlInvalid, "'{value}' is not a valid absolute URL (e.g. https://app.example.com/mailroom-events).", "'{value}' nie jest poprawnym pełnym adresem URL (np. https://app.example.com/mailroom-events).");
        Add(WebhookService.UrlScheme, "A webhook URL must start with http:// or https:// (not '{value}').", "Adres webhooka musi zaczynać się od http:// lub https:// (nie '{value}').");
        Add(WebhookService.UrlCredentials, "Do not put a user name or password in the webhook URL: check the signature instead.", "Nie umieszczaj nazwy użytkownika ani hasła w adresie webhooka: zamiast tego sprawdzaj podpis.");
        Add(WebhookService.TypesRequired, "Choose at least one event type (or * for all).", "Wybierz co najmniej jeden typ zdarzenia (lub * dla wszystkich).");
        Add(WebhookService.TypeInvalid, "'{value}' is not an event type: use a name such as message.sent, a prefix such as message.*, or *.", "'{value}' nie jest typem zdarzenia: użyj nazwy, np. message.sent, prefiksu, np. message.*, albo *.");
        Add("webhook.notFound", "There is no webhook '{value}'.", "Nie ma webhooka '{value}'.");
        Add("events.after.invalid", "'after' is the id of the last event read: a whole number, 0 or more.", "'after' to identyfikator ostatnio odczytanego zdarzenia: liczba całkowita, 0 lub więcej.");
        Add("events.type.invalid", "'{value}' is not an event type name (e.g. message.sent).", "'{value}' nie jest nazwą typu zdarzenia (np. message.sent).");
        Add("events.range.invalid", "'since' must be earlier than 'until'.", "'since' musi być wcześniej niż 'until'.");
        Add("events.date.invalid", "'{value}' is not a date and time (e.g. 2026-11-22T10:00:00Z).", "'{value}' nie jest datą i godziną (np. 2026-11-22T10:00:00Z).");

        Add("ui.nav.events", "Events", "Zdarzenia");
        Add("ui.nav.webhooks", "Webhooks", "Webhooki");
        Add("ui.events.title", "Events", "Zdarzenia");
        Add("ui.events.intro", "Everything that happened to messages and sender settings, oldest first.", "Wszystko, co działo się z wiadomościami i ustawieniami nadawców, od najstarszych.");
        Add("ui.events.type", "Type", "Typ");
        Add("ui.events.anyType", "Any type", "Dowolny typ");
        Add("ui.events.messageId", "Message id", "Identyfikator wiadomości");
        Add("ui.events.userId", "User id", "Identyfikator użytkownika");
        Add("ui.events.since", "From", "Od");
        Add("ui.events.until", "To", "Do");
        Add("ui.events.filter", "Show", "Pokaż");
        Add("ui.events.id", "Id", "Id");
        Add("ui.events.at", "Time", "Czas");
        Add("ui.events.message", "Message", "Wiadomość");
        Add("ui.events.user", "User", "Użytkownik");
        Add("ui.events.reason", "Reason", "Przyczyna");
        Add("ui.events.reply", "Server reply", "Odpowiedź serwera");
        Add("ui.events.none", "No events match.", "Brak pasujących zdarzeń.");
        Add("ui.events.next", "Next page", "Następna strona");
        Add("ui.events.forMessage", "Events of this message", "Zdarzenia tej wiadomości");
        Add("ui.webhooks.title", "Webhooks", "Webhooki");
        Add("ui.webhooks.intro", "Mailroom POSTs each event of the chosen types to these URLs, signed with the endpoint's secret (see docs/events.md).", "Mailroom wysyła (POST) każde zdarzenie wybranych typów na te adresy, podpisane sekretem punktu końcowego (zob. docs/events.md).");
        Add("ui.webhooks.url", "URL", "Adres URL");
        Add("ui.webhooks.types", "Event types (comma-separated, e.g. message.sent, message.*, *)", "Typy zdarzeń (po przecinku, np. message.sent, message.*, *)");
        Add("ui.webhooks.enabled", "Enabled", "Włączony");
        Add("ui.webhooks.add", "Add webhook", "Dodaj webhook");
        Add("ui.webhooks.secretOnce", "The secret of the new webhook is shown only now. Copy it into the receiving application:", "Sekret nowego webhooka jest pokazywany tylko teraz. Skopiuj go do aplikacji odbierającej:");
        Add("ui.webhooks.none", "No webhooks yet.", "Brak webhooków.");
        Add("ui.webhooks.log", "Delivery log", "Dziennik dostarczeń");
        Add("ui.webhooks.attempt", "Attempt", "Próba");
        Add("ui.webhooks.event", "Event", "Zdarzenie");
        Add("ui.webhooks.status", "HTTP status", "Status HTTP");
        Add("ui.webhooks.error", "Error", "Błąd");
        Add("ui.webhooks.outcome", "Outcome", "Wynik");
        Add("ui.webhooks.delete", "Delete", "Usuń");
        Add("ui.webhooks.noAttempts", "Nothing delivered yet.", "Jeszcze nic nie dostarczono.");
        Add("ui.webhooks.yes", "Yes", "Tak");
        Add("ui.webhooks.no", "No", "Nie");
    }
}
