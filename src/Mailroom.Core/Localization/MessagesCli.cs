namespace Mailroom.Core.Localization;

public static partial class Messages
{
    static partial void RegisterCliMessages()
    {
        Add("cli.error", "error: {message}", "błąd: {message}");
        Add("cli.hint", "hint: {message}", "wskazówka: {message}");
        Add("cli.hint.usage", "Run '{command} --help' to see what it takes.", "Uruchom '{command} --help', aby zobaczyć dostępne opcje.");
        Add("cli.hint.validation", "Fix the fields named above and run the command again; nothing was changed.", "Popraw wymienione pola i uruchom polecenie ponownie; nic nie zostało zmienione.");
        Add("cli.hint.auth", "Set MAILROOM_API_KEY to a valid key (an administrator's for administration commands).", "Ustaw MAILROOM_API_KEY na ważny klucz (klucz administratora dla poleceń administracyjnych).");
        Add("cli.hint.notFound", "Check the id; 'mailroom queue list' and 'mailroom users list' show what exists.", "Sprawdź identyfikator; 'mailroom queue list' i 'mailroom users list' pokazują, co istnieje.");
        Add("cli.hint.unreachable", "Is the server running? Start it with 'mailroom serve', or point --server / MAILROOM_SERVER at it.", "Czy serwer działa? Uruchom go poleceniem 'mailroom serve' albo wskaż go przez --server / MAILROOM_SERVER.");
        Add("cli.hint.conflict", "'mailroom queue show {id}' shows the message's state.", "'mailroom queue show {id}' pokazuje stan wiadomości.");
        Add("cli.hint.server", "The server's log has the details.", "Szczegóły są w dzienniku serwera.");
        Add("cli.hint.serve", "docs/configuration.md lists every option; 'mailroom serve --help' lists the flags.", "docs/configuration.md opisuje wszystkie opcje; 'mailroom serve --help' pokazuje flagi.");
        Add("cli.badStatus", "--status: '{value}' is not one of {known}.", "--status: '{value}' nie jest jednym z: {known}.");
        Add("cli.unauthorized", "The server refused the API key: it is unknown or revoked.", "Serwer odrzucił klucz API: jest nieznany albo unieważniony.");
        Add("cli.noApiKey", "No API key: set MAILROOM_API_KEY (or pass --api-key).", "Brak klucza API: ustaw MAILROOM_API_KEY (albo podaj --api-key).");
        Add("cli.badServer", "'{value}' is not a server address; use e.g. http://127.0.0.1:5080.", "'{value}' nie jest adresem serwera; użyj np. http://127.0.0.1:5080.");
        Add("cli.fileNotFound", "The file '{path}' does not exist.", "Plik '{path}' nie istnieje.");
        Add("cli.noBody", "No message body: pass --body-file, or pipe the body into the command.", "Brak treści wiadomości: podaj --body-file albo przekaż treść na standardowe wejście.");
        Add("cli.setting.format", "'{value}' is not field=value (e.g. host=smtp.example.com).", "'{value}' nie ma postaci pole=wartość (np. host=smtp.example.com).");
        Add("cli.setting.unknown", "'{field}' is not a sender setting. Known: {known}.", "'{field}' nie jest ustawieniem nadawcy. Znane: {known}.");
        Add("cli.setting.wrongType", "'{field}' needs {type}, not '{value}'.", "'{field}' wymaga wartości typu {type}, a nie '{value}'.");
        Add("cli.setting.passwordInArgs", "Do not put the password on the command line (other users can see it): use --password-stdin.", "Nie podawaj hasła w wierszu poleceń (widzą je inni użytkownicy): użyj --password-stdin.");
        Add("cli.setting.nothing", "Nothing to set: give one or more field=value pairs.", "Nic do ustawienia: podaj jedną lub więcej par pole=wartość.");
        Add("cli.checking", "Checking {target} step by step (sends nothing; up to a minute)…", "Sprawdzam {target} krok po kroku (nic nie wysyłam; do minuty)…");
        Add("cli.waiting", "Waiting for message {id}: {status}…", "Czekam na wiadomość {id}: {status}…");
        Add("cli.waitTimeout", "Message {id} is still {status} after {seconds} s; it stays queued.", "Wiadomość {id} ma nadal stan {status} po {seconds} s; pozostaje w kolejce.");
        Add("cli.events.badInterval", "--interval: {value} is not between {min} and {max} seconds.", "--interval: {value} nie mieści się między {min} a {max} sekundami.");
        Add("cli.presets.detecting", "Looking up settings for {email} (the catalog, MX records, then probing the server; up to half a minute)…", "Szukam ustawień dla {email} (katalog, rekordy MX, potem sprawdzanie serwera; do pół minuty)…");
        Add("cli.presets.nothing", "No settings found for {email}; ask the mailbox provider for its SMTP server.", "Nie znaleziono ustawień dla {email}; zapytaj dostawcę poczty o jego serwer SMTP.");
        Add("cli.oauth.deviceCodeOnly", "From the command line, sign in with --device-code (the browser sign-in is in the web UI).", "Z wiersza poleceń logowanie działa z --device-code (logowanie w przeglądarce jest w interfejsie WWW).");
        Add("cli.oauth.badProvider", "--provider: '{value}' is not microsoft365 or google.", "--provider: '{value}' to nie microsoft365 ani google.");
        Add("cli.oauth.waiting", "Waiting for the sign-in ({seconds} s left)…", "Czekam na zalogowanie (zostało {seconds} s)…");
        Add("cli.oauth.expired", "The code expired before the sign-in was finished; run the command again.", "Kod wygasł przed zakończeniem logowania; uruchom polecenie ponownie.");
        Add("cli.oauth.done", "Signed in as {account} ({scope}); the sign-in is stored and held mail is released.", "Zalogowano jako {account} ({scope}); logowanie zapisano, wstrzymana poczta zostaje zwolniona.");
        Add("cli.messageFailed", "Message {id} ended {status}: {reason}", "Wiadomość {id} zakończyła się stanem {status}: {reason}");
        Add("cli.checkFailed", "The connection check failed.", "Sprawdzenie połączenia nie powiodło się.");
        Add("cli.keyShownOnce", "API key (shown this once; store it now): {key}", "Klucz API (pokazany tylko raz; zapisz go teraz): {key}");
        Add("cli.serverMissing", "The server program was not found next to the CLI ({path}).", "Nie znaleziono programu serwera obok CLI ({path}).");

        // The administrator's read-only view of the options tree (docs/configuration.md).
        Add("ui.config.title", "Server configuration", "Konfiguracja serwera");
        Add("ui.config.help", "Set in appsettings.json, Mailroom__… environment variables or mailroom serve flags; changed by restarting the server. LOCKED values are fixed by the environment or a flag.", "Ustawiana w appsettings.json, zmiennych środowiskowych Mailroom__… lub flagach mailroom serve; zmiana wymaga ponownego uruchomienia serwera. Wartości ZABLOKOWANE są ustalone przez środowisko lub flagę.");
        Add("ui.config.key", "Option", "Opcja");
        Add("ui.config.value", "Value", "Wartość");
        Add("ui.config.source", "Set by", "Źródło");
        Add("ui.config.locked", "LOCKED", "ZABLOKOWANE");
        Add("ui.config.lockedHelp", "Fixed by the environment or a command-line flag for this process.", "Ustalone dla tego procesu przez środowisko lub flagę wiersza poleceń.");
        Add("ui.config.source.default", "default", "domyślna");
        Add("ui.config.source.file", "appsettings.json", "appsettings.json");
        Add("ui.config.source.environment", "environment", "środowisko");
        Add("ui.config.source.commandline", "command line", "wiersz poleceń");
    }
}
