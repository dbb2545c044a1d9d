namespace Mailroom.Core.Localization;

public static partial class Messages
{
    static partial void RegisterOAuthMessages()
    {
        // Why no token could be had (OAuthProblemException codes); {provider} is "Microsoft 365" or "Google".
        Add("oauth.problem.notSignedIn",
            "Nobody has signed in with {provider} for this sender yet. Open the sender settings and choose “Authenticate with {provider}”.",
            "Nikt jeszcze nie zalogował się przez {provider} dla tego nadawcy. Otwórz ustawienia nadawcy i wybierz „Uwierzytelnij przez {provider}”.");
        Add("oauth.problem.signInAgain",
            "The {provider} sign-in was revoked or has expired. Sign in again (“Authenticate with {provider}” in the sender settings); held messages are sent after that.",
            "Logowanie {provider} zostało cofnięte albo wygasło. Zaloguj się ponownie („Uwierzytelnij przez {provider}” w ustawieniach nadawcy); wstrzymane wiadomości zostaną potem wysłane.");
        Add("oauth.problem.consentMissing",
            "{provider} did not grant Mailroom permission to send mail (consent missing). Sign in again and accept the permissions, or ask the administrator to grant admin consent for the application.",
            "{provider} nie udzielił Mailroom zgody na wysyłanie poczty (brak zgody). Zaloguj się ponownie i zaakceptuj uprawnienia albo poproś administratora o zgodę administratora dla aplikacji.");
        Add("oauth.problem.wrongAccount",
            "You signed in as {account}, but this sender sends as {expected}. Sign in again with the account {expected}, or change the sender's login.",
            "Zalogowano jako {account}, a ten nadawca wysyła jako {expected}. Zaloguj się ponownie kontem {expected} albo zmień login nadawcy.");
        Add("oauth.problem.notConfigured",
            "OAuth2 for {provider} is not configured on this server: the administrator must set Mailroom:OAuth:…:ClientId (see docs/oauth.md).",
            "OAuth2 dla {provider} nie jest skonfigurowany na tym serwerze: administrator musi ustawić Mailroom:OAuth:…:ClientId (zob. docs/oauth.md).");
        Add("oauth.problem.providerError",
            "{provider} could not complete the sign-in: {detail}",
            "{provider} nie mógł dokończyć logowania: {detail}");
        Add("oauth.problem.tokenRefused",
            "The mail server refused the {provider} token of {account} ({reply}). The sign-in may have been revoked or the token has expired: sign in again.",
            "Serwer poczty odrzucił token {provider} konta {account} ({reply}). Logowanie mogło zostać cofnięte albo token wygasł: zaloguj się ponownie.");
        Add("oauth.problem.smtpAuthDisabled",
            "Microsoft 365 refused {account} ({reply}): Authenticated SMTP (SMTP AUTH) is disabled for this mailbox or the whole tenant. Enable it in the Microsoft 365 admin center (Users → the mailbox → Mail → Manage email apps → Authenticated SMTP) — OAuth2 needs it too.",
            "Microsoft 365 odrzucił {account} ({reply}): uwierzytelniony SMTP (SMTP AUTH) jest wyłączony dla tej skrzynki albo całej dzierżawy. Włącz go w centrum administracyjnym Microsoft 365 (Użytkownicy → skrzynka → Poczta → Zarządzaj aplikacjami poczty e-mail → Uwierzytelniony SMTP) — OAuth2 również go wymaga.");

        // Web UI
        Add("ui.oauth.heading", "OAuth2 sign-in", "Logowanie OAuth2");
        Add("ui.oauth.authenticate", "Authenticate with {provider}", "Uwierzytelnij przez {provider}");
        Add("ui.oauth.authenticated", "{provider} authenticated: {account}", "{provider} uwierzytelniony: {account}");
        Add("ui.oauth.appOnly", "{provider} app-only (shared mailbox): {account}", "{provider} tylko aplikacja (skrzynka współdzielona): {account}");
        Add("ui.oauth.notAuthenticated", "Not signed in with {provider} yet: mail from this sender is held until someone signs in.",
            "Nie zalogowano jeszcze przez {provider}: poczta tego nadawcy czeka, aż ktoś się zaloguje.");
        Add("ui.oauth.signOut", "Remove the sign-in", "Usuń logowanie");
        Add("ui.oauth.signedOut", "The sign-in was removed.", "Logowanie zostało usunięte.");
        Add("ui.oauth.stateMismatch",
            "The sign-in answer did not match a sign-in started here (state); nothing was saved. Start again.",
            "Odpowiedź logowania nie pasuje do logowania rozpoczętego tutaj (state); nic nie zapisano. Zacznij od nowa.");
        Add("ui.oauth.chooseMethod",
            "Choose authentication OAuth2 Microsoft 365 or OAuth2 Google and save, then sign in here.",
            "Wybierz uwierzytelnianie OAuth2 Microsoft 365 lub OAuth2 Google i zapisz, a potem zaloguj się tutaj.");

        // API
        Add("api.oauth.unknownProvider", "provider must be \"microsoft365\" or \"google\".", "provider musi mieć wartość \"microsoft365\" lub \"google\".");
        Add("api.oauth.unknownScope", "scope must be \"global\" (administrators) or \"me\".", "scope musi mieć wartość \"global\" (administratorzy) lub \"me\".");
        Add("api.oauth.unknownDeviceSignIn", "No such device sign-in (it finished, expired, or was started by someone else).",
            "Nie ma takiego logowania urządzenia (zakończyło się, wygasło albo rozpoczął je ktoś inny).");
        Add("api.oauth.deviceInstruction", "Open {uri} and enter the code {code}, then sign in with the mailbox account.",
            "Otwórz {uri} i wpisz kod {code}, a potem zaloguj się kontem skrzynki.");
        Add("api.oauth.mailboxRequired", "mailbox must be the e-mail address of the mailbox to send as.", "mailbox musi być adresem e-mail skrzynki, z której ma iść poczta.");

        // Connection check: the same sentences as hints (check.hint.auth.oauth.<reason>).
        foreach (var reason in new[] { "notSignedIn", "signInAgain", "consentMissing", "wrongAccount", "notConfigured", "providerError", "tokenRefused", "smtpAuthDisabled" })
            Add("check.hint.auth.oauth." + reason, English["oauth.problem." + reason], Polish["oauth.problem." + reason]);
    }
}
