namespace Mailroom.Core.Localization;

public static partial class Messages
{
    static partial void RegisterConnectionCheckMessages()
    {
        Add("check.step.dns", "Resolve the server name (DNS)", "Ustalenie adresu serwera (DNS)");
        Add("check.step.connect", "Connect (TCP)", "Połączenie (TCP)");
        Add("check.step.tls", "TLS handshake and certificate", "Negocjacja TLS i certyfikat");
        Add("check.step.greeting", "Server greeting", "Powitanie serwera");
        Add("check.step.ehlo", "EHLO: server capabilities", "EHLO: możliwości serwera");
        Add("check.step.startTls", "STARTTLS: switch to encryption", "STARTTLS: przejście na szyfrowanie");
        Add("check.step.ehloAfterStartTls", "EHLO again, encrypted", "Ponowne EHLO, już szyfrowane");
        Add("check.step.auth", "Log in (AUTH)", "Logowanie (AUTH)");
        Add("check.step.quit", "End the session (QUIT)", "Zakończenie sesji (QUIT)");

        Add("check.summary.ok",
            "{endpoint} works: every step passed in {ms} ms. Nothing was sent.",
            "{endpoint} działa: wszystkie kroki przeszły w {ms} ms. Nic nie zostało wysłane.");
        Add("check.summary.warning",
            "{endpoint} works, but “{step}” needs attention: {hint}",
            "{endpoint} działa, ale krok „{step}” wymaga uwagi: {hint}");
        Add("check.summary.failed",
            "The check of {endpoint} failed at “{step}”: {hint}",
            "Sprawdzenie {endpoint} nie powiodło się na kroku „{step}”: {hint}");

        Add("check.hint.hostNotFound",
            "The server name {host} does not exist in DNS. Check the spelling of the server name (e.g. smtp.gmail.com, smtp.office365.com).",
            "Nazwa serwera {host} nie istnieje w DNS. Sprawdź pisownię nazwy serwera (np. smtp.gmail.com, smtp.office365.com).");
        Add("check.hint.blockedAddress",
            "The server name {host} points only to internal addresses ({addresses}): private, loopback or link-local networks. This deployment does not let user profiles connect there (protection against reaching internal systems). Use the provider's public SMTP server, or ask the administrator.",
            "Nazwa serwera {host} wskazuje tylko na adresy wewnętrzne ({addresses}): sieci prywatne, pętlę zwrotną lub adresy lokalne łącza. Ta instalacja nie pozwala profilom użytkowników łączyć się z nimi (ochrona przed dostępem do systemów wewnętrznych). Użyj publicznego serwera SMTP dostawcy albo zwróć się do administratora.");
        Add("check.hint.dnsFailed",
            "The name {host} could not be resolved: {error}. Check this machine's DNS settings or try again later.",
            "Nie udało się ustalić adresu {host}: {error}. Sprawdź ustawienia DNS tego komputera lub spróbuj później.");
        Add("check.hint.dnsTimeout",
            "DNS did not answer for {host} within {seconds} s. Check this machine's DNS settings or try again later.",
            "DNS nie odpowiedział dla {host} w ciągu {seconds} s. Sprawdź ustawienia DNS tego komputera lub spróbuj później.");
        Add("check.hint.connectionRefused",
            "{host} refused the connection on port {port}: nothing listens there. Check the port (usually 465 for SSL/TLS, 587 for STARTTLS).",
            "{host} odrzucił połączenie na porcie {port}: nic tam nie nasłuchuje. Sprawdź numer portu (zwykle 465 dla SSL/TLS, 587 dla STARTTLS).");
        Add("check.hint.portFiltered",
            "No answer from {host} on port {port} within {seconds} s: a firewall probably blocks it (many networks and cloud providers block port 25). Ask your network administrator to open outgoing port {port}, or use 587 or 465.",
            "Brak odpowiedzi od {host} na porcie {port} w ciągu {seconds} s: port jest prawdopodobnie blokowany przez zaporę (wiele sieci i chmur blokuje port 25). Poproś administratora sieci o otwarcie wychodzącego portu {port} albo użyj 587 lub 465.");
        Add("check.hint.connectFailed",
            "Could not connect to {host} on port {port}: {error}. Check the network connection of this machine.",
            "Nie można połączyć się z {host} na porcie {port}: {error}. Sprawdź połączenie sieciowe tego komputera.");
        Add("check.hint.wrongEncryption.sslOnStartTlsPort",
            "The TLS handshake failed ({error}): port {port} most likely talks plain SMTP and expects STARTTLS. Choose encryption STARTTLS (or Automatic) for this port, or use port 465 with SSL/TLS.",
            "Negocjacja TLS nie powiodła się ({error}): port {port} najpewniej mówi zwykłym SMTP i oczekuje STARTTLS. Wybierz szyfrowanie STARTTLS (lub Automatyczne) dla tego portu albo użyj portu 465 z SSL/TLS.");
        Add("check.hint.wrongEncryption.startTlsOnImplicitTlsPort",
            "The server sent no SMTP greeting ({error}): port {port} most likely expects SSL/TLS from the first byte (implicit TLS, usually port 465). Choose encryption SSL/TLS for this port, or use port 587 with STARTTLS.",
            "Serwer nie wysłał powitania SMTP ({error}): port {port} najpewniej wymaga SSL/TLS od pierwszego bajtu (niejawny TLS, zwykle port 465). Wybierz szyfrowanie SSL/TLS dla tego portu albo użyj portu 587 ze STARTTLS.");
        Add("check.hint.noAnswer",
            "The server stopped answering (nothing within {seconds} s). It may be overloaded, or something between you and the server interferes. Try again later.",
            "Serwer przestał odpowiadać (nic w ciągu {seconds} s). Może być przeciążony albo coś pomiędzy przeszkadza w połączeniu. Spróbuj ponownie później.");
        Add("check.hint.greetingRefused",
            "The server refused the session at once: {reply}. It may not accept connections from this machine's address; ask the server's administrator.",
            "Serwer od razu odmówił sesji: {reply}. Być może nie przyjmuje połączeń z adresu tego komputera; zapytaj administratora serwera.");
        Add("check.hint.ehloFailed",
            "The server did not accept EHLO: {reply}. Ask the server's administrator whether this machine may use it.",
            "Serwer nie przyjął EHLO: {reply}. Zapytaj administratora serwera, czy ten komputer może z niego korzystać.");
        Add("check.hint.tlsHandshakeFailed",
            "The encrypted connection could not be set up: {error}. The server may only accept old TLS versions, or something interferes with the connection.",
            "Nie udało się zestawić szyfrowanego połączenia: {error}. Serwer może akceptować tylko stare wersje TLS albo coś zakłóca połączenie.");
        Add("check.hint.certificate.untrusted",
            "The server's certificate is not trusted (self-signed or from an unknown authority, issuer: {issuer}). If this is your own server and you trust it, pin its SHA-256 fingerprint in the sender settings: {fingerprint}",
            "Certyfikat serwera nie jest zaufany (samopodpisany lub od nieznanego wystawcy, wystawca: {issuer}). Jeśli to Twój serwer i mu ufasz, przypnij jego odcisk SHA-256 w ustawieniach nadawcy: {fingerprint}");
        Add("check.hint.certificate.nameMismatch",
            "The certificate is issued for {names}, not for {host}. Enter one of those names as the server name. If you trust this server anyway, pin its fingerprint: {fingerprint}",
            "Certyfikat wystawiono dla {names}, a nie dla {host}. Wpisz jedną z tych nazw jako nazwę serwera. Jeśli mimo to ufasz temu serwerowi, przypnij jego odcisk: {fingerprint}");
        Add("check.hint.certificate.expired",
            "The server's certificate expired on {notAfter}. The server's administrator must renew it (fingerprint {fingerprint}).",
            "Certyfikat serwera wygasł {notAfter}. Administrator serwera musi go odnowić (odcisk {fingerprint}).");
        Add("check.hint.certificate.notYetValid",
            "The server's certificate is valid only from {notBefore}. Check the clock of this machine and of the server (fingerprint {fingerprint}).",
            "Certyfikat serwera jest ważny dopiero od {notBefore}. Sprawdź zegar tego komputera i serwera (odcisk {fingerprint}).");
        Add("check.hint.certificate.pinMismatch",
            "The pinned fingerprint {pinned} does not match the certificate the server presented ({fingerprint}). If the server's certificate was renewed on purpose, pin the new fingerprint; otherwise do not send through this server.",
            "Przypięty odcisk {pinned} nie pasuje do certyfikatu przedstawionego przez serwer ({fingerprint}). Jeśli certyfikat serwera celowo odnowiono, przypnij nowy odcisk; w przeciwnym razie nie wysyłaj przez ten serwer.");
        Add("check.hint.certificate.missing",
            "The server presented no certificate, so the connection cannot be verified. Ask the server's administrator.",
            "Serwer nie przedstawił certyfikatu, więc połączenia nie można zweryfikować. Zapytaj administratora serwera.");
        Add("check.hint.certificate.expiresSoon",
            "The server's certificate expires on {notAfter} (in {days} days). Remind the server's administrator to renew it.",
            "Certyfikat serwera wygasa {notAfter} (za {days} dni). Przypomnij administratorowi serwera o jego odnowieniu.");
        Add("check.hint.certificate.expiredButPinned",
            "The certificate is trusted only because its fingerprint is pinned; it expired on {notAfter}. Renew it and pin the new fingerprint.",
            "Certyfikat jest zaufany tylko dzięki przypiętemu odciskowi; wygasł {notAfter}. Odnów go i przypnij nowy odcisk.");
        Add("check.hint.encryption.none",
            "Encryption is set to None: messages travel unencrypted and can be read on the way. Choose STARTTLS, SSL/TLS or Automatic if the server supports it.",
            "Wybrano brak szyfrowania: wiadomości są przesyłane jawnie i można je odczytać po drodze. Wybierz STARTTLS, SSL/TLS lub Automatyczne, jeśli serwer to obsługuje.");
        Add("check.hint.startTls.notOffered",
            "STARTTLS is required, but {endpoint} does not offer it. Use the port the provider names for STARTTLS (usually 587), or SSL/TLS on 465.",
            "Wymagane jest STARTTLS, ale {endpoint} go nie oferuje. Użyj portu, który dostawca podaje dla STARTTLS (zwykle 587), albo SSL/TLS na porcie 465.");
        Add("check.hint.startTls.notOfferedAutomatic",
            "{endpoint} does not offer STARTTLS, so with Automatic the connection stays unencrypted: no password will be sent, and messages would travel in plain text. Use a port with encryption (587 or 465).",
            "{endpoint} nie oferuje STARTTLS, więc przy szyfrowaniu Automatycznym połączenie pozostaje nieszyfrowane: hasło nie zostanie wysłane, a wiadomości szłyby jawnym tekstem. Użyj portu z szyfrowaniem (587 lub 465).");
        Add("check.hint.startTls.refused",
            "The server refused STARTTLS: {reply}. Try SSL/TLS on port 465, or ask the server's administrator.",
            "Serwer odrzucił STARTTLS: {reply}. Spróbuj SSL/TLS na porcie 465 albo zapytaj administratora serwera.");
        Add("check.hint.auth.plaintextRefused",
            "The password was NOT sent: {endpoint} offers no encryption, and the password would have crossed the network in plain text. Choose SSL/TLS or STARTTLS with a port that supports it (465 or 587); choose encryption None only if you accept that risk.",
            "Hasło NIE zostało wysłane: {endpoint} nie oferuje szyfrowania, a hasło przeszłoby przez sieć jawnym tekstem. Wybierz SSL/TLS lub STARTTLS z portem, który je obsługuje (465 lub 587); brak szyfrowania wybierz tylko, jeśli akceptujesz to ryzyko.");
        Add("check.hint.auth.notOffered",
            "{endpoint} does not offer login (AUTH) on this connection (encrypted: {encrypted}). Many servers offer it only after STARTTLS or only on port 587/465: check the encryption and port, or choose authentication None if the server relays for this machine without login.",
            "{endpoint} nie oferuje logowania (AUTH) na tym połączeniu (szyfrowane: {encrypted}). Wiele serwerów oferuje je dopiero po STARTTLS albo tylko na porcie 587/465: sprawdź szyfrowanie i port albo wybierz uwierzytelnianie Brak, jeśli serwer przyjmuje pocztę od tego komputera bez logowania.");
        Add("check.hint.auth.badCredentials",
            "The server refused the login or password for {login} ({reply}). Check both; the login is often the full e-mail address.",
            "Serwer odrzucił login lub hasło dla {login} ({reply}). Sprawdź oba; loginem jest często pełny adres e-mail.");
        Add("check.hint.auth.gmailAppPassword",
            "Gmail refused the password for {login} ({reply}). Gmail accepts only an app password here: turn on 2-Step Verification for the Google account, create an app password (16 letters) at myaccount.google.com/apppasswords and enter it instead of the normal password.",
            "Gmail odrzucił hasło dla {login} ({reply}). Gmail przyjmuje tu tylko hasło aplikacji: włącz weryfikację dwuetapową konta Google, utwórz hasło aplikacji (16 liter) na myaccount.google.com/apppasswords i wpisz je zamiast zwykłego hasła.");
        Add("check.hint.auth.microsoft365SmtpAuth",
            "Microsoft 365 refused the login for {login} ({reply}). Authenticated SMTP (SMTP AUTH) must be enabled for this mailbox in the Microsoft 365 admin center (and not disabled for the tenant); login with a password is being retired, so prefer authentication OAuth2 Microsoft 365.",
            "Microsoft 365 odrzucił logowanie dla {login} ({reply}). Dla tej skrzynki w centrum administracyjnym Microsoft 365 musi być włączone uwierzytelnione SMTP (SMTP AUTH), niewyłączone dla całej dzierżawy; logowanie hasłem jest wycofywane, więc wybierz raczej uwierzytelnianie OAuth2 Microsoft 365.");
        Add("check.hint.auth.needsEncryption",
            "The server wants an encrypted connection before login ({reply}). Choose STARTTLS or SSL/TLS.",
            "Serwer wymaga szyfrowanego połączenia przed logowaniem ({reply}). Wybierz STARTTLS lub SSL/TLS.");
        Add("check.hint.auth.refused",
            "The server refused the login: {reply}. Ask the server's administrator what it requires.",
            "Serwer odmówił logowania: {reply}. Zapytaj administratora serwera, czego wymaga.");
        Add("check.hint.unexpected",
            "Something unexpected went wrong: {error}",
            "Wystąpił nieoczekiwany błąd: {error}");
    }
}
