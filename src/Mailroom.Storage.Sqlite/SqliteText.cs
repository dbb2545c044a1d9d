using System.Globalization;

namespace Mailroom.Storage.Sqlite;

/// <summary>How values are written as SQLite text: times as round-trip ISO 8601 in UTC.</summary>
internal static class SqliteText
{
    public static string Time(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset Time(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public static DateTimeOffset? OptionalTime(string? value) => value is null ? null : Time(value);
}
