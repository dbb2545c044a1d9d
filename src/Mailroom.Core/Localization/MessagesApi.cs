namespace Mailroom.Core.Localization;

public static partial class Messages
{
    static partial void RegisterApiMessages()
    {
        Add("settings.saved", "Settings saved.", "Dane zostały zapisane.");
        Add("validation.title", "Some fields are not valid. Nothing was saved.", "Niektóre pola są niepoprawne. Nic nie zostało zapisane.");
        Add("request.invalidJson", "The request body is not valid JSON: {detail}", "Treść żądania nie jest poprawnym JSON-em: {detail}");
        Add("request.wrongType", "The value of '{field}' has the wrong type or format.", "Wartość pola '{field}' ma niewłaściwy typ lub format.");
        Add("request.unknownField", "'{field}' is not a known field. Check its spelling.", "'{field}' nie jest znanym polem. Sprawdź pisownię.");
        Add("request.bodyRequired", "The request needs a JSON body.", "Żądanie wymaga treści w formacie JSON.");
        Add("user.notFound", "There is no user '{userId}'.", "Nie ma użytkownika '{userId}'.");
        Add("user.id.invalid", "A user id is 1–64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit.", "Identyfikator użytkownika to 1–64 liter, cyfr, '.', '_', '-' lub '@', zaczynający się literą lub cyfrą.");
        Add("user.id.taken", "The user id '{value}' is already taken.", "Identyfikator '{value}' jest już zajęty.");
        Add("user.email.required", "The e-mail address is required.", "Adres e-mail jest wymagany.");
        Add("user.email.invalid", "'{value}' is not a valid e-mail address.", "'{value}' nie jest poprawnym adresem e-mail.");
        Add("user.email.taken", "A user with the address '{value}' already exists.", "Użytkownik z adresem '{value}' już istnieje.");
        Add("user.displayName.invalid", "The name may not contain line breaks or control characters and may be at most 200 characters long.", "Nazwa nie może zawierać znaków nowej linii ani znaków sterujących i może mieć najwyżej 200 znaków.");
        Add("user.password.tooShort", "The sign-in password must be at least 12 characters long.", "Hasło logowania musi mieć co najmniej 12 znaków.");
        Add("apiKey.name.invalid", "The key name is 1–100 characters without line breaks or control characters.", "Nazwa klucza to 1–100 znaków bez znaków nowej linii i sterujących.");
        Add("apiKey.notFound", "There is no key '{keyId}' for this user.", "Ten użytkownik nie ma klucza '{keyId}'.");
        Add("portPolicy.invalidPort", "{value} is not a port number (1–65535).", "{value} nie jest numerem portu (1–65535).");
        Add("portPolicy.saved", "Port policy saved.", "Zasady portów zostały zapisane.");
        Add("sharedSender.userNotFound", "There is no user '{value}' to make the shared sender.", "Nie ma użytkownika '{value}', którego można by ustawić jako wspólnego nadawcę.");
        Add("sharedSender.saved", "Shared sender saved.", "Wspólny nadawca został zapisany.");
        Add("check.noServer", "There is no SMTP server to check: fill in the server name first.", "Nie ma serwera SMTP do sprawdzenia: najpierw wpisz nazwę serwera.");
        Add("check.systemCaptures", "The System sender has no relay configured on this deployment: its mail is captured locally as .eml files, so there is no server to check. Ask the operator to set Mailroom:Delivery:SystemRelay, or choose your own SMTP server.", "Nadawca systemowy nie ma skonfigurowanego serwera przekazującego: jego poczta jest zapisywana lokalnie jako pliki .eml, więc nie ma serwera do sprawdzenia. Poproś operatora o ustawienie Mailroom:Delivery:SystemRelay albo wybierz własny serwer SMTP.");
        Add("access.forbidden", "You may only see and change your own settings.", "Możesz przeglądać i zmieniać tylko własne ustawienia.");
    }
}
