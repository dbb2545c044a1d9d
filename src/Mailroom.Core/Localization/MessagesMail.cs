using Mailroom.Core.Mail;

namespace Mailroom.Core.Localization;

public static partial class Messages
{
    static partial void RegisterMailMessages()
    {
        Add(MessageDraftValidator.RecipientsRequired, "Add at least one recipient (to, cc or bcc).", "Dodaj co najmniej jednego odbiorcę (do, dw lub udw).");
        Add(MessageDraftValidator.RecipientInvalid, "'{value}' is not a valid e-mail address.", "'{value}' nie jest poprawnym adresem e-mail.");
        Add(MessageDraftValidator.TooManyRecipients, "A message may have at most {max} recipients. Use a mass mailing for more.", "Wiadomość może mieć najwyżej {max} odbiorców. Do większej liczby użyj wysyłki masowej.");
        Add(MessageDraftValidator.SubjectControlCharacters, "The subject may not contain line breaks or other control characters.", "Temat nie może zawierać znaków nowej linii ani innych znaków sterujących.");
        Add(MessageDraftValidator.SubjectTooLong, "The subject may be at most {max} characters long.", "Temat może mieć najwyżej {max} znaków.");
        Add(MessageDraftValidator.BodyRequired, "The message needs a text or an HTML body.", "Wiadomość musi mieć treść tekstową lub HTML.");
        Add(MessageDraftValidator.BodyTooLong, "The body may be at most {max} characters long.", "Treść może mieć najwyżej {max} znaków.");
        Add(MessageDraftValidator.BodyControlCharacters, "The body contains control characters (other than line breaks and tabs).", "Treść zawiera znaki sterujące (inne niż znaki nowej linii i tabulatory).");
        Add(MessageDraftValidator.AttachmentNameInvalid, "An attachment needs a file name of at most 255 characters, without slashes or control characters.", "Załącznik wymaga nazwy pliku do 255 znaków, bez ukośników i znaków sterujących.");
        Add(MessageDraftValidator.AttachmentContentTypeInvalid, "'{value}' is not a valid MIME type (e.g. application/pdf).", "'{value}' nie jest poprawnym typem MIME (np. application/pdf).");
        Add(MessageDraftValidator.AttachmentsTooLarge, "Attachments may take at most {max} MB together.", "Załączniki mogą mieć łącznie najwyżej {max} MB.");
        Add(MessageDraftValidator.IdempotencyKeyInvalid, "The idempotency key is 1–200 characters without control characters.", "Klucz idempotencji to 1–200 znaków bez znaków sterujących.");
        Add("message.sender.notFound", "There is no user '{value}' to send as.", "Nie ma użytkownika '{value}', w którego imieniu można wysłać.");
        Add("message.sender.forbidden", "You may send only as yourself.", "Możesz wysyłać tylko we własnym imieniu.");
        Add("message.sender.disabled", "Sending is switched off for this sender ('Enable sending e-mail' is No). Nothing was queued.", "Wysyłanie jest wyłączone dla tego nadawcy ('Włącz wysyłanie wiadomości email' ustawione na Nie). Nic nie zostało dodane do kolejki.");
        Add("message.queued", "Message queued.", "Wiadomość dodana do kolejki.");
        Add("message.notFound", "There is no message '{value}'.", "Nie ma wiadomości '{value}'.");
        Add("message.cannotCancel", "Only queued, deferred or held messages can be cancelled; this one is {status}.", "Anulować można tylko wiadomości oczekujące, odłożone lub wstrzymane; ta ma stan {status}.");
        Add("message.cannotRetry", "Only failed, deferred, held or cancelled messages can be sent again; this one is {status}.", "Ponownie wysłać można tylko wiadomości nieudane, odłożone, wstrzymane lub anulowane; ta ma stan {status}.");
        Add("message.attachment.notBase64", "The attachment content is not valid base64.", "Zawartość załącznika nie jest poprawnym base64.");
        Add("testMessage.recipientRequired", "Type the address the test message should go to.", "Wpisz adres, na który ma trafić wiadomość testowa.");
        Add("testMessage.defaultSubject", "Mailroom test message", "Wiadomość testowa Mailroom");
        Add("testMessage.defaultBody", "This is a test message sent from Mailroom to check the mail server settings.", "To jest wiadomość testowa wysłana z Mailroom w celu sprawdzenia ustawień serwera pocztowego.");
    }
}
