namespace Mailroom.Core.Localization;

public static partial class Messages
{
    static partial void RegisterPresetMessages()
    {
        Add("presets.emailRequired", "Type an e-mail address to look up.", "Wpisz adres e-mail, dla którego mają zostać dobrane ustawienia.");
        Add("presets.emailInvalid", "“{address}” is not an e-mail address (e.g. annanowak@op.pl).", "„{address}” nie jest adresem e-mail (np. annanowak@op.pl).");
        Add("presets.certificateSha256Invalid",
            "certificateSha256 must be 64 hex digits (the SHA-256 fingerprint of the server's certificate).",
            "certificateSha256 musi mieć 64 cyfry szesnastkowe (odcisk SHA-256 certyfikatu serwera).");

        Add("presets.explain.catalog",
            "{domain} belongs to {provider}: its settings come from the provider catalog.",
            "{domain} należy do dostawcy {provider}: ustawienia pochodzą z katalogu dostawców.");
        Add("presets.explain.mx",
            "{domain} receives its mail at {mx}, which is {provider}: that provider's settings are suggested.",
            "{domain} odbiera pocztę na serwerze {mx}, który należy do {provider}: zaproponowano ustawienia tego dostawcy.");
        Add("presets.explain.loginFullAddress", "Login: the whole address, {login}.", "Login: cały adres, {login}.");
        Add("presets.explain.loginLocalPart", "Login: only the part before the @, {login}.", "Login: tylko część przed znakiem @, {login}.");
        Add("presets.explain.appPasswordTwoStep",
            "{provider} needs an app password ({length} letters) instead of the account password; it can be created only after 2-step verification is turned on.",
            "{provider} wymaga hasła do aplikacji ({length} liter) zamiast hasła do konta; można je utworzyć dopiero po włączeniu weryfikacji dwuetapowej.");
        Add("presets.explain.appPassword",
            "{provider} needs an app password ({length} letters) instead of the account password.",
            "{provider} wymaga hasła do aplikacji ({length} liter) zamiast hasła do konta.");
        Add("presets.explain.dailyLimit",
            "{provider} sends at most {limit} messages a day: that is the suggested daily limit, so more wait instead of failing.",
            "{provider} wysyła najwyżej {limit} wiadomości dziennie: to proponowany dzienny limit, więc nadmiar poczeka zamiast zostać odrzucony.");
        Add("presets.explain.help", "The provider's instructions: {url}", "Instrukcja dostawcy: {url}");
        Add("presets.explain.unknownNoDetection",
            "{domain} is not in the provider catalog and its MX points to no known provider. Detection can try its servers.",
            "{domain} nie ma w katalogu dostawców, a jego MX nie wskazuje znanego dostawcy. Wykrywanie może sprawdzić jego serwery.");
        Add("presets.explain.detected",
            "{domain} is not in the catalog; {count} combinations were tried. Best: {endpoint} with {encryption}, trusted certificate, AUTH: {auth}.",
            "{domain} nie ma w katalogu; sprawdzono {count} kombinacji. Najlepsza: {endpoint} z {encryption}, zaufany certyfikat, AUTH: {auth}.");
        Add("presets.explain.detectedPlain",
            "{domain} is not in the catalog; {count} combinations were tried. Only {endpoint} without encryption answered (AUTH: {auth}): passwords would travel unencrypted.",
            "{domain} nie ma w katalogu; sprawdzono {count} kombinacji. Odpowiedział tylko {endpoint} bez szyfrowania (AUTH: {auth}): hasła szłyby niezaszyfrowane.");
        Add("presets.explain.loginGuess",
            "The server asks for a login; most servers want the whole address ({login}). Check it with the mailbox administrator.",
            "Serwer wymaga logowania; większość serwerów oczekuje całego adresu ({login}). Potwierdź to u administratora skrzynki.");
        Add("presets.explain.nothingFound",
            "No SMTP server of {domain} answered ({count} combinations tried). Type the server's name and port by hand.",
            "Żaden serwer SMTP domeny {domain} nie odpowiedział (sprawdzono {count} kombinacji). Wpisz nazwę serwera i port ręcznie.");
        Add("presets.explain.certificateRejected",
            "{endpoint} offers {encryption}, but its certificate is not trusted, so it was rejected. If you know this server, pin its fingerprint {fingerprint} and choose it.",
            "{endpoint} oferuje {encryption}, ale jego certyfikat nie jest zaufany, więc został odrzucony. Jeśli znasz ten serwer, przypnij odcisk certyfikatu {fingerprint} i wybierz go.");
        Add("presets.explain.timedOut",
            "Detection stopped after {ms} ms; servers that had not answered by then count as not answering.",
            "Wykrywanie zakończono po {ms} ms; serwery, które do tej pory nie odpowiedziały, uznano za nieodpowiadające.");
        Add("presets.explain.portsNotAllowed",
            "Ports {ports} were not tried: the port policy does not allow them.",
            "Portów {ports} nie sprawdzano: polityka portów ich nie dopuszcza.");

        Add("ui.lookup", "E-mail address", "Adres e-mail");
        Add("ui.lookup.button", "Fill in settings", "Uzupełnij ustawienia");
        Add("ui.lookup.busy", "Looking up…", "Wyszukiwanie…");
        Add("ui.help.lookup",
            "Type the mailbox's address: known providers come from the catalog, other domains are detected by trying their servers.",
            "Wpisz adres skrzynki: znani dostawcy pochodzą z katalogu, pozostałe domeny są wykrywane przez sprawdzenie ich serwerów.");

        Add("presets.note.gmail",
            "Gmail: use an app password (16 letters, typed without spaces), created in the Google account after turning on 2-step verification; the account password is refused.",
            "Gmail: użyj hasła do aplikacji (16 liter, wpisywanych bez spacji), utworzonego w koncie Google po włączeniu weryfikacji dwuetapowej; hasło do konta zostanie odrzucone.");
        Add("presets.note.microsoft365",
            "Microsoft 365: sign in with OAuth2; Authenticated SMTP must be enabled for the mailbox in the Microsoft 365 admin center. Password sign-in is being retired.",
            "Microsoft 365: logowanie przez OAuth2; dla skrzynki musi być włączony Uwierzytelniony SMTP w centrum administracyjnym Microsoft 365. Logowanie hasłem jest wycofywane.");
        Add("presets.note.outlook",
            "Outlook.com no longer accepts the account password over SMTP: sign in with OAuth2.",
            "Outlook.com nie przyjmuje już hasła do konta przez SMTP: zaloguj się przez OAuth2.");
        Add("presets.note.wp",
            "Poczta WP: as in the Comarch example, port 587 with Automatic encryption and the login without @wp.pl (jankowalski).",
            "Poczta WP: jak w przykładzie Comarch, port 587 z szyfrowaniem Automatycznym i login bez @wp.pl (jankowalski).");
        Add("presets.note.onet",
            "Onet Poczta: the login is the whole address (annanowak@op.pl). If sign-in is refused, allow access from e-mail programs in the mailbox settings.",
            "Onet Poczta: login to cały adres (annanowak@op.pl). Jeśli logowanie jest odrzucane, zezwól na dostęp z programów pocztowych w ustawieniach skrzynki.");
        Add("presets.note.interia",
            "Interia: the login is the whole address. If sign-in is refused, allow access from e-mail programs in the mailbox settings.",
            "Interia: login to cały adres. Jeśli logowanie jest odrzucane, zezwól na dostęp z programów pocztowych w ustawieniach skrzynki.");
        Add("presets.note.o2",
            "o2 (also tlen.pl, go2.pl): the login is the part before the @. Access from e-mail programs must be activated in the mailbox first (pomoc.o2.pl: “Aktywacja dostępu dla programów pocztowych”).",
            "o2 (również tlen.pl, go2.pl): login to część przed znakiem @. Najpierw trzeba aktywować w skrzynce dostęp dla programów pocztowych (pomoc.o2.pl: „Aktywacja dostępu dla programów pocztowych”).");
        Add("presets.note.yahoo",
            "Yahoo: generate an app password in the account's security settings; the account password is refused.",
            "Yahoo: wygeneruj hasło do aplikacji w ustawieniach bezpieczeństwa konta; hasło do konta zostanie odrzucone.");
        Add("presets.note.icloud",
            "iCloud: use an app-specific password (two-factor authentication must be on).",
            "iCloud: użyj hasła dla aplikacji (musi być włączone uwierzytelnianie dwuskładnikowe).");
        Add("presets.note.zoho",
            "Zoho: with two-factor authentication on, use an application-specific password.",
            "Zoho: przy włączonym uwierzytelnianiu dwuskładnikowym użyj hasła dla aplikacji.");
    }
}
