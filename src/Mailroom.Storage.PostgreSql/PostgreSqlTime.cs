namespace Mailroom.Storage.PostgreSql;

/// <summary>
/// timestamptz as Npgsql hands it over (a UTC <see cref="DateTime"/>) turned into the
/// <see cref="DateTimeOffset"/> the contracts use. Writes pass <c>value.ToUniversalTime()</c>,
/// because Npgsql accepts only offset zero for timestamptz.
/// </summary>
internal static class PostgreSqlTime
{
    public static DateTimeOffset Read(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static DateTimeOffset? Read(DateTime? value) => value is { } v ? Read(v) : null;
}
