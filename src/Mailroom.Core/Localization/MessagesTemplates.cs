using Mailroom.Core.Templates;

namespace Mailroom.Core.Localization;

public static partial class Messages
{
    static partial void RegisterTemplateMessages()
    {
        Add(TemplateCodes.Syntax, "The template is not valid: {detail}", "Szablon jest niepoprawny: {detail}");
        Add(TemplateCodes.MissingField, "The data has no field '{name}', which the template uses.", "W danych brakuje pola '{name}', którego używa szablon.");
        Add(TemplateCodes.RenderFailed, "The template could not be filled in: {detail}", "Nie udało się wypełnić szablonu: {detail}");
        Add(TemplateCodes.SubjectLineBreak, "The subject would contain a line break once filled in; line breaks are not allowed in a subject.", "Temat po wypełnieniu zawierałby znak nowej linii; w temacie nie są one dozwolone.");
        Add(TemplateCodes.LanguageMissing, "The template '{template}' has no version in the language '{value}'.", "Szablon '{template}' nie ma wersji w języku '{value}'.");
        Add(TemplateCodes.LanguageUnknown, "'{value}' is not a supported language; use 'pl' or 'en'.", "'{value}' nie jest obsługiwanym językiem; użyj 'pl' lub 'en'.");
        Add(TemplateCodes.NotFound, "There is no template '{value}'.", "Nie ma szablonu '{value}'.");
        Add(TemplateCodes.NameInvalid, "A template name is 1–100 lower-case letters, digits, '-', '_' or '.', starting with a letter or digit.", "Nazwa szablonu to 1–100 małych liter, cyfr, '-', '_' lub '.', zaczynająca się literą lub cyfrą.");
        Add(TemplateCodes.SubjectRequired, "Type a subject.", "Wpisz temat.");
        Add(TemplateCodes.BodyRequired, "Type a text or an HTML body.", "Wpisz treść tekstową lub HTML.");
        Add(TemplateCodes.DataNotObject, "The data must be a JSON object, e.g. {\"documentName\": \"Invoice\"}.", "Dane muszą być obiektem JSON, np. {\"documentName\": \"Faktura\"}.");
        Add(TemplateCodes.MailingNeedsOwnServer, "Mass mailing is available only when the sender uses its own SMTP server or Microsoft 365; this sender uses the system relay ({mode}). Set up the sender's own server on its settings page.", "Wysyłka masowa jest dostępna tylko, gdy nadawca korzysta z własnego serwera SMTP lub Microsoft 365; ten nadawca korzysta z serwera systemowego ({mode}). Skonfiguruj własny serwer nadawcy na stronie jego ustawień.");
        Add(TemplateCodes.RecipientsUnreadable, "The recipients file could not be read: {detail}", "Nie udało się odczytać pliku odbiorców: {detail}");
        Add(TemplateCodes.RecipientsRequired, "Upload the recipients as a CSV file or a JSON array.", "Prześlij odbiorców jako plik CSV lub tablicę JSON.");
        Add(TemplateCodes.RowAddressMissing, "The row has no e-mail address.", "Wiersz nie ma adresu e-mail.");
        Add(TemplateCodes.RowAttachmentUnreadable, "The attachment '{name}' was not uploaded or could not be read.", "Załącznik '{name}' nie został przesłany lub nie dał się odczytać.");
        Add(TemplateCodes.RowIdempotencyKeyUsed, "The idempotency key '{value}' was already used for another message from this sender, so this row was not queued a second time.", "Klucz idempotencji '{value}' został już użyty dla innej wiadomości tego nadawcy, więc ten wiersz nie został dodany do kolejki drugi raz.");
        Add(TemplateCodes.RowMalformed, "The row could not be read: {detail}", "Nie udało się odczytać wiersza: {detail}");
        Add(TemplateCodes.MailingNotFound, "There is no mailing '{value}'.", "Nie ma wysyłki '{value}'.");
        Add(TemplateCodes.MailingWrongState, "The mailing is {state}; this cannot be done now.", "Wysyłka ma stan {state}; tej operacji nie można teraz wykonać.");
        Add("ui.nav.templates", "Templates", "Szablony");
        Add("ui.nav.mailings", "Mass mailing", "Wysyłka masowa");
        Add("ui.templates.title", "Templates", "Szablony");
        Add("ui.templates.list", "Templates", "Szablony");
        Add("ui.templates.name", "Name", "Nazwa");
        Add("ui.templates.version", "Version", "Wersja");
        Add("ui.templates.versions", "Versions", "Wersje");
        Add("ui.templates.description", "Description", "Opis");
        Add("ui.templates.newName", "New template's name", "Nazwa nowego szablonu");
        Add("ui.templates.new", "Create", "Utwórz");
        Add("ui.templates.subject", "Subject", "Temat");
        Add("ui.templates.text", "Text body", "Treść tekstowa");
        Add("ui.templates.html", "HTML body", "Treść HTML");
        Add("ui.templates.sampleData", "Sample data (JSON)", "Przykładowe dane (JSON)");
        Add("ui.templates.previewLanguage", "Preview language", "Język podglądu");
        Add("ui.templates.preview", "Preview", "Podgląd");
        Add("ui.templates.save", "Save as a new version", "Zapisz jako nową wersję");
        Add("ui.templates.saved", "Saved as version {version}.", "Zapisano jako wersję {version}.");
        Add("ui.mailings.title", "Mass mailing", "Wysyłka masowa");
        Add("ui.mailings.list", "Mailings", "Wysyłki");
        Add("ui.mailings.new", "New mailing", "Nowa wysyłka");
        Add("ui.mailings.help", "Recipients: a CSV file (columns email, language, attachments — file names separated by ';' — and the template's fields) or a JSON array. Attach the files the rows name.", "Odbiorcy: plik CSV (kolumny email, language, attachments — nazwy plików rozdzielone ';' — oraz pola szablonu) lub tablica JSON. Dołącz pliki, które wskazują wiersze.");
        Add("ui.mailings.name", "Name", "Nazwa");
        Add("ui.mailings.state", "State", "Stan");
        Add("ui.mailings.progress", "Progress", "Postęp");
        Add("ui.mailings.sender", "Sender (user id)", "Nadawca (identyfikator użytkownika)");
        Add("ui.mailings.template", "Template", "Szablon");
        Add("ui.mailings.language", "Language", "Język");
        Add("ui.mailings.recipients", "Recipients file (CSV or JSON)", "Plik odbiorców (CSV lub JSON)");
        Add("ui.mailings.attachments", "Attachments", "Załączniki");
        Add("ui.mailings.start", "Start the mailing", "Rozpocznij wysyłkę");
        Add("ui.mailings.rejected", "Bad rows", "Błędne wiersze");
        Add("ui.mailings.rate", "Sent in the last minute", "Wysłane w ostatniej minucie");
        Add("ui.mailings.timeLeft", "Time left", "Pozostały czas");
        Add("ui.mailings.pause", "Pause", "Wstrzymaj");
        Add("ui.mailings.resume", "Resume", "Wznów");
        Add("ui.mailings.cancel", "Cancel the mailing", "Anuluj wysyłkę");
        Add("ui.mailings.report", "Download the report (CSV)", "Pobierz raport (CSV)");
        Add("ui.mailings.state.feeding", "Reading recipients", "Wczytywanie odbiorców");
        Add("ui.mailings.state.running", "Sending", "Wysyłanie");
        Add("ui.mailings.state.paused", "Paused", "Wstrzymana");
        Add("ui.mailings.state.cancelled", "Cancelled", "Anulowana");
        Add("ui.mailings.state.completed", "Completed", "Zakończona");
    }
}
