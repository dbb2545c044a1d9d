namespace Mailroom.Core.Localization;

public static partial class Messages
{
    // The web UI's labels, helper texts and buttons. Polish labels follow the Comarch DMS
    // "Serwer pocztowy" tab and Directo's user card (see shared/seeds).
    static partial void RegisterUiMessages()
    {
        RegisterUiChrome();
        RegisterUiFields();
        RegisterUiHelp();
        RegisterUiQueue();
        RegisterUiAdmin();
    }

    private static void RegisterUiChrome()
    {
        Add("ui.skipToContent", "Skip to content", "Przejdź do treści");
        Add("ui.nav.label", "Main menu", "Menu główne");
        Add("ui.nav.server", "Mail server", "Serwer pocztowy");
        Add("ui.nav.mine", "My sender settings", "Moje ustawienia nadawcy");
        Add("ui.nav.queue", "Queue", "Kolejka");
        Add("ui.nav.admin", "Administration", "Administracja");
        Add("ui.language", "Language", "Język");
        Add("ui.language.apply", "Change", "Zmień");
        Add("ui.signOut", "Sign out", "Wyloguj");
        Add("ui.signIn.title", "Sign in to Mailroom", "Logowanie do Mailroom");
        Add("ui.signIn.email", "E-mail address", "Adres e-mail");
        Add("ui.signIn.password", "Password", "Hasło");
        Add("ui.signIn.submit", "Sign in", "Zaloguj");
        Add("ui.signIn.failed", "The address or the password is not right.", "Adres lub hasło są niepoprawne.");
        Add("ui.signIn.locked", "Too many failed attempts for this address. Wait {minutes} minutes, then try again.",
            "Zbyt wiele nieudanych prób dla tego adresu. Odczekaj {minutes} minut i spróbuj ponownie.");
        Add("ui.signIn.firstStart", "First time? The administrator's address and password are in data/first-start-credentials.txt on the server.",
            "Pierwsze uruchomienie? Adres i hasło administratora są w pliku data/first-start-credentials.txt na serwerze.");
        Add("ui.forbidden.title", "Not yours to open", "Brak dostępu");
        Add("ui.backHome", "Back to the start page", "Wróć do strony startowej");
        Add("ui.yes", "Yes", "Tak");
        Add("ui.no", "No", "Nie");
        Add("ui.notSet", "(not set)", "(nie ustawiono)");
        Add("ui.inherit", "Inherit", "Dziedzicz");
        Add("ui.save", "Save", "Zapisz");
        Add("ui.check", "Check connection", "Sprawdź połączenie");
        Add("ui.server.title", "Settings · Mail server", "Ustawienia · Serwer pocztowy");
        Add("ui.server.lead", "The company's default mail account: notifications and users without their own settings send through it.",
            "Domyślne konto pocztowe firmy: wysyłane są z niego powiadomienia i wiadomości użytkowników bez własnych ustawień.");
        Add("ui.mine.title", "My sender settings", "Moje ustawienia nadawcy");
        Add("ui.user.title", "Sender settings of {user}", "Ustawienia nadawcy: {user}");
        Add("ui.mine.lead", "Leave a field empty to inherit it; the grey text shows what you get and where it comes from.",
            "Pozostaw pole puste, aby je odziedziczyć; szary tekst pokazuje otrzymaną wartość i jej źródło.");
        Add("ui.section.account", "Account settings", "Ustawienia konta pocztowego");
        Add("ui.section.server", "Server", "Serwer");
        Add("ui.section.personal", "Copy and signature", "Kopia i podpis");
        Add("ui.section.test", "Send a test message", "Wyślij testową wiadomość email");
        Add("ui.sharedSender.locked", "The administrator named a shared sender: its server settings apply to everyone. You can set only your own login and password.",
            "Administrator wskazał wspólnego nadawcę: jego ustawienia serwera obowiązują wszystkich. Możesz ustawić tylko własny login i hasło.");
        Add("ui.capturesLocally", "Mail from these settings is not delivered: it goes to the System sender, and this deployment has no relay, so messages are written as .eml files to data/captured-mail. Choose your own SMTP server, or ask the operator to set Mailroom:Delivery:SystemRelay.",
            "Poczta z tych ustawień nie jest doręczana: trafia do nadawcy systemowego, a ta instalacja nie ma serwera przekazującego, więc wiadomości są zapisywane jako pliki .eml w data/captured-mail. Wybierz własny serwer SMTP albo poproś operatora o ustawienie Mailroom:Delivery:SystemRelay.");
        Add("ui.password.stored", "A password is stored.", "Hasło jest zapisane.");
        Add("ui.password.none", "No password is stored.", "Brak zapisanego hasła.");
        Add("ui.password.inherited", "No password of your own: the one from {source} is used.", "Brak własnego hasła: używane jest hasło z: {source}.");
        Add("ui.password.remove", "Remove the stored password", "Usuń zapisane hasło");
        Add("ui.provider", "Choose a provider", "Wybierz dostawcę");
        Add("ui.provider.choose", "— fill in server, port and encryption for… —", "— uzupełnij serwer, port i szyfrowanie dla… —");
        Add("ui.check.title", "Connection check", "Sprawdzenie połączenia");
        Add("ui.check.status.Ok", "OK", "OK");
        Add("ui.check.status.Warning", "warning", "ostrzeżenie");
        Add("ui.check.status.Failed", "failed", "błąd");
        Add("ui.check.status.Skipped", "skipped", "pominięto");
        Add("ui.test.to", "Recipient's e-mail address", "Adres email odbiorcy");
        Add("ui.test.subject", "Subject", "Temat");
        Add("ui.test.body", "Message text", "Treść wiadomości");
        Add("ui.test.attachment", "Attachment (optional)", "Załącznik (opcjonalnie)");
        Add("ui.test.send", "Send message", "Wyślij wiadomość");
        Add("ui.test.status", "Status:", "Stan:");
        Add("ui.test.details", "details and history", "szczegóły i historia");
        Add("ui.test.attachmentTooLarge", "The attachment is larger than {megabytes} MB.", "Załącznik jest większy niż {megabytes} MB.");
        Add("ui.effective.title", "Effective settings", "Ustawienia obowiązujące");
        Add("ui.effective.help", "What your mail is really sent with, and where each value comes from.", "Z jakimi ustawieniami naprawdę wysyłana jest poczta i skąd pochodzi każda wartość.");
        Add("ui.effective.field", "Field", "Pole");
        Add("ui.effective.value", "Value", "Wartość");
        Add("ui.effective.source", "Source", "Źródło");
        Add("ui.source.User", "your settings", "Twoje ustawienia");
        Add("ui.source.UserAccount", "your account", "Twoje konto");
        Add("ui.source.SharedSender", "shared sender", "wspólny nadawca");
        Add("ui.source.Global", "company settings", "ustawienia firmy");
        Add("ui.source.SystemDefault", "system default", "domyślne systemowe");
    }

    private static void RegisterUiFields()
    {
        Add("ui.field.enabled", "Enable sending e-mail", "Włącz wysyłanie wiadomości email");
        Add("ui.field.accountName", "Account name", "Nazwa konta");
        Add("ui.field.fromAddress", "E-mail (outgoing)", "Email (wychodzący)");
        Add("ui.field.displayName", "Display name", "Nazwa wyświetlana");
        Add("ui.field.replyTo", "Reply-to address", "Adres zwrotny");
        Add("ui.field.description", "Description", "Opis");
        Add("ui.field.serverType", "Server type", "Typ serwera");
        Add("ui.field.host", "Server name", "Nazwa serwera");
        Add("ui.field.port", "Port", "Port");
        Add("ui.field.encryption", "Encryption method", "Metoda szyfrowania");
        Add("ui.field.authentication", "Authentication method", "Metoda uwierzytelniania");
        Add("ui.field.login", "Login", "Login");
        Add("ui.field.password", "Password", "Hasło");
        Add("ui.field.bcc", "Hidden copy (BCC)", "Kopia ukryta (BCC)");
        Add("ui.field.signature", "Signature", "Podpis");
        Add("ui.field.senderMode", "Message sender", "Nadawca wiadomości");
        Add("ui.field.certificateSha256", "Pinned certificate (SHA-256)", "Przypięty certyfikat (SHA-256)");
        Add("ui.field.rateLimitPerMinute", "Limit: messages per minute", "Limit: wiadomości na minutę");
        Add("ui.field.rateLimitPerDay", "Limit: messages per day", "Limit: wiadomości na dzień");
        Add("ui.encryption.None", "None", "Brak");
        Add("ui.encryption.SslTls", "SSL/TLS", "SSL/TLS");
        Add("ui.encryption.StartTls", "STARTTLS", "STARTTLS");
        Add("ui.encryption.Auto", "Automatic", "Automatyczne");
        Add("ui.authentication.None", "None", "Brak");
        Add("ui.authentication.Password", "Login and password", "Login i hasło");
        Add("ui.authentication.OAuth2Microsoft365", "OAuth2 (Microsoft 365)", "OAuth2 (Microsoft 365)");
        Add("ui.authentication.OAuth2Google", "OAuth2 (Google)", "OAuth2 (Google)");
        Add("ui.senderMode.System", "System default", "Domyślny systemowy");
        Add("ui.senderMode.OwnSmtp", "Own SMTP server", "Własny serwer SMTP");
        Add("ui.senderMode.Microsoft365OAuth", "Microsoft 365 OAuth", "Microsoft 365 OAUTH");
        Add("ui.senderMode.ReplyToRelay", "Reply-to relay", "Odpowiedź bezpośrednia (Reply-to)");
    }

    private static void RegisterUiHelp()
    {
        Add("ui.help.serverType", "Always SMTP; it cannot be changed.", "Zawsze SMTP – bez możliwości edycji.");
        Add("ui.help.provider", "Fills in the server name, port and encryption; check them against your provider's page.",
            "Uzupełnia nazwę serwera, port i szyfrowanie; sprawdź je na stronie swojego dostawcy.");
        Add("ui.help.host", "e.g. smtp.domena.com; \"server:port\" works too.", "np. smtp.domena.com; można też wpisać „serwer:port”.");
        Add("ui.help.port", "Open ports: 25, 465 and 587 unless the administrator opened more.", "Domyślnie otwarte porty: 25, 465 i 587, chyba że administrator otworzył więcej.");
        Add("ui.help.encryption", "When in doubt, choose Automatic (465 → SSL/TLS, otherwise STARTTLS).", "W razie wątpliwości wybierz „Automatyczne” (465 → SSL/TLS, w pozostałych przypadkach STARTTLS).");
        Add("ui.help.authentication", "The password field is shown only for login and password.", "Pole „Hasło” jest dostępne tylko dla opcji „Login i hasło”.");
        Add("ui.help.password", "Type a new one to replace it; it is stored encrypted and never shown again.", "Wpisz nowe, aby je zastąpić; jest przechowywane zaszyfrowane i nigdy nie jest wyświetlane.");
        Add("ui.help.senderMode", "System default sends through this deployment's relay; Reply-to relay sends from the system address with your address as Reply-To.",
            "Domyślny systemowy wysyła przez serwer tej instalacji; odpowiedź bezpośrednia wysyła z adresu systemowego, z Twoim adresem w polu Reply-To.");
        Add("ui.help.certificateSha256", "Only for a server with a self-signed certificate: its SHA-256 fingerprint (the connection check shows it).",
            "Tylko dla serwera z certyfikatem z podpisem własnym: jego odcisk SHA-256 (pokazuje go sprawdzenie połączenia).");
        Add("ui.help.rateLimit", "Optional caps, e.g. a provider's daily limit; mail above them waits.", "Opcjonalne limity, np. dzienny limit dostawcy; nadmiarowe wiadomości czekają.");
        Add("ui.help.gmail", "Gmail: turn on 2-step verification, create an app password and paste it here (the spaces are removed for you).",
            "Gmail: włącz weryfikację dwuetapową, utwórz hasło do aplikacji i wklej je tutaj (spacje zostaną usunięte).");
        Add("ui.help.microsoft365", "Microsoft 365: login and password stopped working in April 2026. Use OAuth2 and make sure Authenticated SMTP is enabled for the mailbox in the admin center.",
            "Microsoft 365: logowanie loginem i hasłem zostało wycofane w kwietniu 2026. Użyj OAuth2 i upewnij się, że w centrum administracyjnym włączono uwierzytelniony SMTP dla skrzynki.");
        Add("ui.help.test", "The message goes to the queue at top priority; its delivery result appears here.", "Wiadomość trafia do kolejki z najwyższym priorytetem; wynik doręczenia pojawi się tutaj.");
        Add("ui.help.testAttachment", "Not needed to test the configuration; at most 5 MB.", "Niepotrzebny do testu konfiguracji; najwyżej 5 MB.");
        Add("ui.helpPanel.title", "Good to know", "Warto wiedzieć");
        Add("ui.helpPanel.ports", "Allowed ports", "Dozwolone porty");
        Add("ui.helpPanel.portsText", "Open now: {ports}. Another port must be opened by an administrator (Administration → Port policy) and in the firewall.",
            "Otwarte teraz: {ports}. Inny port musi otworzyć administrator (Administracja → Zasady portów) oraz zapora sieciowa.");
        Add("ui.helpPanel.ips", "Addresses to allow-list", "Adresy IP do białej listy");
        Add("ui.helpPanel.ipsText", "If your SMTP server accepts mail only from known addresses, add the addresses this server sends from:",
            "Jeśli serwer SMTP ogranicza dostęp na podstawie adresu IP, dodaj adresy, z których wysyła ten serwer:");
        Add("ui.helpPanel.responsibility", "Your responsibility", "Odpowiedzialność użytkownika");
        Add("ui.helpPanel.responsibilityText", "With your own server settings, you are responsible for errors and undelivered mail; receiving servers may block an account that sends too much.",
            "Za błędy i niedostarczenie wiadomości odpowiada użytkownik korzystający z własnych ustawień serwera. Istnieje ryzyko zablokowania konta przez serwery odbiorcze.");
    }

    private static void RegisterUiQueue()
    {
        Add("ui.queue.title", "Queue", "Kolejka");
        Add("ui.queue.dashboard", "Now", "Teraz");
        Add("ui.queue.sentToday", "Sent today", "Wysłane dzisiaj");
        Add("ui.queue.oldestQueued", "Oldest waiting", "Najdłużej czekająca");
        Add("ui.queue.none", "—", "—");
        Add("ui.queue.filters", "Filters", "Filtry");
        Add("ui.queue.status", "State", "Stan");
        Add("ui.queue.anyStatus", "any", "dowolny");
        Add("ui.queue.sender", "Sender (user id; empty: all)", "Nadawca (identyfikator; puste: wszyscy)");
        Add("ui.queue.from", "Created from", "Utworzone od");
        Add("ui.queue.to", "Created until", "Utworzone do");
        Add("ui.queue.apply", "Show", "Pokaż");
        Add("ui.queue.empty", "No messages match.", "Brak pasujących wiadomości.");
        Add("ui.queue.next", "Next page", "Następna strona");
        Add("ui.queue.first", "First page", "Pierwsza strona");
        Add("ui.queue.created", "Created", "Utworzona");
        Add("ui.queue.subject", "Subject", "Temat");
        Add("ui.queue.recipients", "Recipients", "Odbiorcy");
        Add("ui.queue.globalSender", "company", "firma");
        Add("ui.queue.attempts", "Attempts", "Próby");
        Add("ui.queue.senderColumn", "Sender", "Nadawca");
        Add("ui.message.title", "Message {id}", "Wiadomość {id}");
        Add("ui.message.history", "History", "Historia");
        Add("ui.message.at", "When", "Kiedy");
        Add("ui.message.reason", "What happened", "Co się stało");
        Add("ui.message.reply", "Server reply", "Odpowiedź serwera");
        Add("ui.message.retry", "Send again", "Wyślij ponownie");
        Add("ui.message.cancel", "Cancel", "Anuluj");
        Add("ui.message.retried", "Queued again.", "Ponownie dodana do kolejki.");
        Add("ui.message.cancelled", "Cancelled.", "Anulowana.");
        Add("ui.message.nextAttempt", "Next attempt", "Następna próba");
        Add("ui.message.priority", "Priority", "Priorytet");
        Add("ui.message.attachments", "Attachments", "Załączniki");
        Add("ui.message.capturedBanner", "Not delivered: the System sender has no relay here, so this message was written as an .eml file to data/captured-mail.",
            "Nie doręczono: nadawca systemowy nie ma tu serwera przekazującego, więc wiadomość zapisano jako plik .eml w data/captured-mail.");
        Add("ui.priority.Test", "test (first)", "testowa (pierwsza)");
        Add("ui.priority.Notification", "notification", "powiadomienie");
        Add("ui.priority.Bulk", "bulk", "masowa");
        Add("ui.status.queued", "queued", "w kolejce");
        Add("ui.status.sending", "sending", "wysyłanie");
        Add("ui.status.sent", "sent", "wysłana");
        Add("ui.status.deferred", "deferred (will retry)", "odłożona (ponowienie)");
        Add("ui.status.failed", "failed", "błąd");
        Add("ui.status.cancelled", "cancelled", "anulowana");
        Add("ui.status.held", "held (fix the sender settings)", "wstrzymana (popraw ustawienia nadawcy)");
        Add("ui.status.captured", "captured, not delivered", "przechwycona, nie doręczona");
    }

    private static void RegisterUiAdmin()
    {
        Add("ui.admin.title", "Administration", "Administracja");
        Add("ui.admin.users", "Users", "Użytkownicy");
        Add("ui.admin.newUser", "Add a user", "Dodaj użytkownika");
        Add("ui.admin.userId", "User code (optional)", "Kod użytkownika (opcjonalnie)");
        Add("ui.admin.email", "E-mail address", "Adres e-mail");
        Add("ui.admin.displayName", "Name", "Nazwa");
        Add("ui.admin.role", "Role", "Rola");
        Add("ui.admin.role.User", "user", "użytkownik");
        Add("ui.admin.role.Administrator", "administrator", "administrator");
        Add("ui.admin.password", "Sign-in password (12+ characters, optional)", "Hasło logowania (min. 12 znaków, opcjonalnie)");
        Add("ui.admin.create", "Add user", "Dodaj użytkownika");
        Add("ui.admin.created", "User {email} added. Their API key, shown this once: {key}", "Dodano użytkownika {email}. Jego klucz API, pokazany tylko raz: {key}");
        Add("ui.admin.settings", "settings", "ustawienia");
        Add("ui.admin.sharedSender", "Shared sender", "Wspólny nadawca");
        Add("ui.admin.sharedSender.help", "That user's settings become everyone's base; users may then set only their own login and password.",
            "Ustawienia tego użytkownika stają się podstawą dla wszystkich; użytkownicy mogą wtedy ustawić tylko własny login i hasło.");
        Add("ui.admin.sharedSender.none", "(none)", "(brak)");
        Add("ui.admin.ports", "Port policy", "Zasady portów");
        Add("ui.admin.ports.additional", "Additional ports (comma-separated)", "Dodatkowe porty (oddzielone przecinkami)");
        Add("ui.admin.ports.help", "25, 465 and 587 are always open.", "Porty 25, 465 i 587 są zawsze otwarte.");
        Add("ui.admin.ports.notNumbers", "Write port numbers separated by commas, e.g. 2525, 8025.", "Wpisz numery portów oddzielone przecinkami, np. 2525, 8025.");
    }
}
