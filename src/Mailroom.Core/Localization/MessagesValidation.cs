using Mailroom.Core.Settings.Validation;

namespace Mailroom.Core.Localization;

// The sentences for the sender-profile validator: what is wrong and what to do about it.
public static partial class Messages
{
    static partial void RegisterValidationMessages()
    {
        Add(ValidationCodes.HeaderControlCharacters,
            "This field must be a single line of text: it contains a line break or another control character, which could smuggle extra e-mail headers in. Remove it, e.g. by typing the value again.",
            "To pole musi być jednym wierszem tekstu: zawiera znak nowej linii lub inny znak sterujący, którym można by dopisać dodatkowe nagłówki wiadomości. Usuń go, np. wpisując wartość ponownie.");
        Add(ValidationCodes.TextControlCharacters,
            "This text contains a control character other than a line break or a tab. Remove it, e.g. by pasting the text as plain text.",
            "Ten tekst zawiera znak sterujący inny niż nowa linia czy tabulator. Usuń go, np. wklejając tekst jako zwykły tekst.");
        Add(ValidationCodes.FieldTooLong,
            "This field allows at most {max} characters. Shorten it.",
            "To pole może mieć najwyżej {max} znaków. Skróć je.");
        Add(ValidationCodes.SharedSenderOnlyCredentials,
            "The administrator has set a shared sender for everyone, so only your login and password can be changed here. Leave this field empty, or ask the administrator.",
            "Administrator ustawił wspólnego nadawcę dla wszystkich, więc tutaj można zmienić tylko login i hasło. Pozostaw to pole puste albo zwróć się do administratora.");
        Add(ValidationCodes.ServerTypeNotSmtp,
            "The server type is always SMTP; \"{value}\" is not supported. Leave the field empty or set it to smtp.",
            "Typ serwera to zawsze SMTP; „{value}” nie jest obsługiwany. Pozostaw pole puste lub wpisz smtp.");
        Add(ValidationCodes.HostHasScheme,
            "Type just the server name, without smtp:// or a similar prefix, e.g. {suggestion}.",
            "Wpisz samą nazwę serwera, bez smtp:// ani podobnego przedrostka, np. {suggestion}.");
        Add(ValidationCodes.HostContainsSpaces,
            "The server name cannot contain spaces. Type it as your provider gives it, e.g. smtp.wp.pl.",
            "Nazwa serwera nie może zawierać spacji. Wpisz ją tak, jak podaje dostawca poczty, np. smtp.wp.pl.");
        Add(ValidationCodes.HostInvalid,
            "\"{host}\" is not a valid server name or IP address. A server name consists of parts of letters, digits and hyphens separated by dots (at most 63 characters each), e.g. smtp.wp.pl.",
            "„{host}” nie jest poprawną nazwą serwera ani adresem IP. Nazwa serwera składa się z członów z liter, cyfr i łączników oddzielonych kropkami (każdy najwyżej 63 znaki), np. smtp.wp.pl.");
        Add(ValidationCodes.HostInvalidPortSuffix,
            "The text after the colon, \"{suffix}\", is not a port number. Write the server as name:port (e.g. smtp.gmail.com:465) or put the port in the Port field.",
            "Tekst po dwukropku, „{suffix}”, nie jest numerem portu. Wpisz serwer jako nazwa:port (np. smtp.gmail.com:465) albo podaj port w polu Port.");
        Add(ValidationCodes.HostPortConflict,
            "The server name gives port {hostPort} but the Port field says {port}. Remove the port from the server name or make both the same.",
            "Nazwa serwera podaje port {hostPort}, a pole Port – {port}. Usuń port z nazwy serwera albo wpisz w obu miejscach ten sam.");
        Add(ValidationCodes.PortOutOfRange,
            "Port {port} does not exist: a port is a number from 1 to 65535. SMTP servers usually use 587, 465 or 25.",
            "Port {port} nie istnieje: port to liczba od 1 do 65535. Serwery SMTP zwykle używają portu 587, 465 lub 25.");
        Add(ValidationCodes.PortNotAllowed,
            "Port {port} is not allowed. Allowed ports: {allowedPorts}. If your server needs this port, an administrator can open it in the port policy.",
            "Port {port} nie jest dozwolony. Dozwolone porty: {allowedPorts}. Jeśli serwer wymaga tego portu, administrator może go otworzyć w zasadach portów.");
        Add(ValidationCodes.EncryptionSslTlsOnStartTlsPort,
            "Port {port} usually expects STARTTLS, not SSL/TLS from the first byte; the connection will probably fail. Choose STARTTLS or Automatic, or use port 465 for SSL/TLS.",
            "Port {port} zwykle wymaga STARTTLS, a nie SSL/TLS od pierwszego bajtu; połączenie najpewniej się nie uda. Wybierz STARTTLS lub Automatycznie albo użyj portu 465 dla SSL/TLS.");
        Add(ValidationCodes.EncryptionStartTlsOnImplicitTlsPort,
            "Port {port} usually expects SSL/TLS from the first byte, not STARTTLS; the connection will probably fail. Choose SSL/TLS or Automatic, or use port 587 for STARTTLS.",
            "Port {port} zwykle wymaga SSL/TLS od pierwszego bajtu, a nie STARTTLS; połączenie najpewniej się nie uda. Wybierz SSL/TLS lub Automatycznie albo użyj portu 587 dla STARTTLS.");
        Add(ValidationCodes.EncryptionNoneOnImplicitTlsPort,
            "Port {port} usually expects SSL/TLS; without encryption the connection will probably fail. Choose SSL/TLS or Automatic.",
            "Port {port} zwykle wymaga SSL/TLS; bez szyfrowania połączenie najpewniej się nie uda. Wybierz SSL/TLS lub Automatycznie.");
        Add(ValidationCodes.EncryptionNoneWithPassword,
            "Without encryption the login and password travel over the network unencrypted. This is allowed because you chose it, but choose Automatic, STARTTLS or SSL/TLS if the server supports it.",
            "Bez szyfrowania login i hasło są przesyłane przez sieć jawnie. Jest to dozwolone, bo tak wybrano, ale jeśli serwer to obsługuje, wybierz Automatycznie, STARTTLS lub SSL/TLS.");
        Add(ValidationCodes.AddressInvalid,
            "\"{address}\" is not a valid e-mail address. Type an address like jan.kowalski@example.com.",
            "„{address}” nie jest poprawnym adresem e-mail. Wpisz adres w postaci jan.kowalski@firma.pl.");
        Add(ValidationCodes.AddressLocalPartTooLong,
            "In \"{address}\" the part before @ is longer than {max} characters, which mail servers refuse. Check the address.",
            "W adresie „{address}” część przed @ ma więcej niż {max} znaków, czego serwery pocztowe nie przyjmują. Sprawdź adres.");
        Add(ValidationCodes.AddressTooLong,
            "The address \"{address}\" is longer than {max} characters, which mail servers refuse. Check the address.",
            "Adres „{address}” ma więcej niż {max} znaków, czego serwery pocztowe nie przyjmują. Sprawdź adres.");
        Add(ValidationCodes.AddressNameForm,
            "Type only the address ({address}), without a name or angle brackets.",
            "Wpisz sam adres ({address}), bez nazwy i nawiasów ostrych.");
        Add(ValidationCodes.FromAddressNameForm,
            "Type only the address ({address}) here and put the name \"{name}\" in the Display name field.",
            "Wpisz tutaj sam adres ({address}), a nazwę „{name}” wpisz w polu Nazwa wyświetlana.");
        Add(ValidationCodes.PasswordRequired,
            "Login-and-password authentication needs a password. Type the password, or choose another authentication method.",
            "Uwierzytelnianie loginem i hasłem wymaga hasła. Wpisz hasło albo wybierz inną metodę uwierzytelniania.");
        Add(ValidationCodes.PasswordRequiredWithLogin,
            "You set your own login and the server uses login and password, so type the password for this login too.",
            "Ustawiono własny login, a serwer używa loginu i hasła, więc wpisz też hasło do tego loginu.");
        Add(ValidationCodes.PasswordNotUsed,
            "A password is used only with login-and-password authentication. Clear the password, or choose Login and password as the authentication method.",
            "Hasło jest używane tylko przy uwierzytelnianiu loginem i hasłem. Usuń hasło albo wybierz metodę uwierzytelniania Login i hasło.");
        Add(ValidationCodes.PasswordBlank,
            "The password consists of spaces only. Type the real password, or leave the field untouched to keep the stored one.",
            "Hasło składa się wyłącznie ze spacji. Wpisz prawdziwe hasło albo nie zmieniaj pola, aby zachować zapisane hasło.");
        Add(ValidationCodes.GmailAppPasswordExpected,
            "Gmail accepts only an app password here: 16 letters, which Google shows after you turn on 2-Step Verification and create an app password. Your normal Gmail password will be refused.",
            "Gmail przyjmuje tutaj tylko hasło aplikacji: 16 liter, które Google pokazuje po włączeniu weryfikacji dwuetapowej i utworzeniu hasła aplikacji. Zwykłe hasło do Gmaila zostanie odrzucone.");
        Add(ValidationCodes.Microsoft365BasicAuthRetired,
            "Microsoft retired login-and-password sign-in for SMTP in April 2026, so Microsoft 365 will probably refuse it. Choose OAuth2 Microsoft 365 as the authentication method.",
            "Od kwietnia 2026 r. Microsoft wycofał logowanie do SMTP loginem i hasłem, więc Microsoft 365 najpewniej je odrzuci. Wybierz metodę uwierzytelniania OAuth2 Microsoft 365.");
        Add(ValidationCodes.Microsoft365ModeNeedsOAuth,
            "The Microsoft 365 OAuth sender works only with OAuth2 Microsoft 365 authentication. Choose that method, or another sender.",
            "Nadawca Microsoft 365 OAuth działa tylko z uwierzytelnianiem OAuth2 Microsoft 365. Wybierz tę metodę albo innego nadawcę.");
        Add(ValidationCodes.CertificateSha256Invalid,
            "The certificate fingerprint must be the SHA-256 of the server's certificate: 64 hexadecimal digits (colons allowed), e.g. as printed by 'openssl x509 -noout -fingerprint -sha256'.",
            "Odcisk certyfikatu musi być skrótem SHA-256 certyfikatu serwera: 64 cyfry szesnastkowe (dwukropki dozwolone), np. taki, jaki wypisuje 'openssl x509 -noout -fingerprint -sha256'.");
        Add(ValidationCodes.RateLimitOutOfRange,
            "A rate limit is a whole number from 1 to {max}. Leave the field empty for no limit.",
            "Limit wysyłki to liczba całkowita od 1 do {max}. Zostaw pole puste, aby nie ograniczać.");
    }
}
