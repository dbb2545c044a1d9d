namespace Mailroom.Core.Localization;

public static partial class Messages
{
    static partial void RegisterHardeningMessages()
    {
        Add("request.tooLarge",
            "The request is too large: at most {limit} bytes are accepted ({setting}). Send smaller attachments or fewer at a time.",
            "Żądanie jest za duże: przyjmowane jest najwyżej {limit} bajtów ({setting}). Wyślij mniejsze załączniki albo mniej naraz.");
        Add("storage.full",
            "The message could not be stored: the server's storage is full or unavailable. Nothing was saved; try again later or tell the administrator.",
            "Nie udało się zapisać wiadomości: magazyn danych serwera jest pełny lub niedostępny. Nic nie zostało zapisane; spróbuj później albo powiadom administratora.");
        Add("storage.busy",
            "The database is busy; nothing was saved. Try again in a moment.",
            "Baza danych jest zajęta; nic nie zostało zapisane. Spróbuj ponownie za chwilę.");
    }
}
