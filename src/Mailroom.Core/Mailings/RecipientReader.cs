using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Mailroom.Core.Settings.Validation;
using Mailroom.Core.Templates;

namespace Mailroom.Core.Mailings;

/// <summary>One recipient as read from the upload, before rendering.</summary>
/// <param name="Row">1-based data row number.</param>
/// <param name="Email">The address, or null when the row has none.</param>
/// <param name="Language">The row's language, or null.</param>
/// <param name="Data">The data for the template (dictionaries, lists, text).</param>
/// <param name="Attachments">Names of uploaded files to attach.</param>
/// <param name="Problem">Set when the row could not be read.</param>
public sealed record RecipientInput(int Row, string? Email, string? Language, object Data, IReadOnlyList<string> Attachments, ValidationIssue? Problem);

/// <summary>
/// Reads recipients one at a time from a CSV file or a JSON array, never the whole list in memory.
/// CSV: a header row; columns <c>email</c>, optional <c>language</c> and <c>attachments</c> (file
/// names separated by <c>;</c>); every other column is a data field (<c>customer.name</c> makes a nested field).
/// JSON: <c>[{"email": …, "language": …, "data": {…}, "attachments": ["…"]}, …]</c>.
/// </summary>
public static class RecipientReader
{
    /// <summary>The reserved columns / properties.</summary>
    public const string EmailField = "email", LanguageField = "language", AttachmentsField = "attachments", DataField = "data";

    /// <summary>"json" when the upload is a JSON array (by name, else by its first character), otherwise "csv".</summary>
    public static async Task<(string Format, Stream Stream)> DetectAsync(Stream stream, string? fileName, CancellationToken cancellationToken = default)
    {
        var buffered = stream.CanSeek ? stream : new BufferedStream(stream, 64 * 1024);
        if (fileName?.EndsWith(".json", StringComparison.OrdinalIgnoreCase) == true) return ("json", buffered);
        if (fileName?.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) == true) return ("csv", buffered);
        if (!buffered.CanSeek) return ("csv", buffered);
        var head = new byte[64];
        var read = await buffered.ReadAsync(head, cancellationToken);
        buffered.Seek(0, SeekOrigin.Begin);
        var first = Encoding.UTF8.GetString(head, 0, read).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return (first.StartsWith('[') ? "json" : "csv", buffered);
    }

    /// <summary>Reads rows of <paramref name="format"/> ("csv" or "json").</summary>
    public static IAsyncEnumerable<RecipientInput> ReadAsync(Stream stream, string format, CancellationToken cancellationToken = default) =>
        format == "json" ? ReadJsonAsync(stream, cancellationToken) : ReadCsvAsync(stream, cancellationToken);

    private static async IAsyncEnumerable<RecipientInput> ReadJsonAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var row = 0;
        await using var rows = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            RecipientInput? failure = null;
            try
            {
                if (!await rows.MoveNextAsync()) break;
            }
            catch (JsonException e)
            {
                failure = new RecipientInput(row + 1, null, null, TemplateData.Empty, [], TemplateCodes.Issue("recipients", TemplateCodes.RecipientsUnreadable, ("detail", e.Message)));
            }
            if (failure is not null)
            {
                yield return failure; // the rest of the file cannot be read: said, not skipped
                yield break;
            }
            row++;
            yield return FromJson(row, rows.Current);
        }
    }

    private static RecipientInput FromJson(int row, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return new RecipientInput(row, null, null, TemplateData.Empty, [], TemplateCodes.Issue("row", TemplateCodes.RowMalformed, ("detail", "not a JSON object")));
        string? email = null, language = null;
        object data = new Dictionary<string, object>();
        var attachments = new List<string>();
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case EmailField when property.Value.ValueKind == JsonValueKind.String: email = property.Value.GetString(); break;
                case LanguageField when property.Value.ValueKind == JsonValueKind.String: language = property.Value.GetString(); break;
                case DataField when property.Value.ValueKind == JsonValueKind.Object: data = TemplateData.FromJson(property.Value); break;
                case AttachmentsField when property.Value.ValueKind == JsonValueKind.Array:
                    foreach (var name in property.Value.EnumerateArray())
                    {
                        if (name.ValueKind != JsonValueKind.String)
                            return new RecipientInput(row, email, language, data, [], TemplateCodes.Issue(AttachmentsField, TemplateCodes.RowMalformed, ("detail", "attachments are file names")));
                        attachments.Add(name.GetString()!);
                    }
                    break;
                case EmailField or LanguageField or DataField or AttachmentsField:
                    return new RecipientInput(row, email, language, data, [], TemplateCodes.Issue(property.Name, TemplateCodes.RowMalformed, ("detail", $"'{property.Name}' has the wrong type")));
                default:
                    return new RecipientInput(row, email, language, data, [], TemplateCodes.Issue(property.Name, TemplateCodes.RowMalformed, ("detail", $"unknown property '{property.Name}'")));
            }
        }
        return new RecipientInput(row, email, language, data, attachments, null);
    }

    private static async IAsyncEnumerable<RecipientInput> ReadCsvAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        var csv = new CsvRecordReader(reader);
        var header = await csv.ReadAsync(cancellationToken);
        if (header is null) yield break;
        var columns = header.Select(h => h.Trim()).ToArray();
        var row = 0;
        while (await csv.ReadAsync(cancellationToken) is { } record)
        {
            if (record.Count == 1 && record[0].Length == 0) continue; // a blank line, not a recipient
            row++;
            if (record.Count != columns.Length)
            {
                yield return new RecipientInput(row, null, null, TemplateData.Empty, [], TemplateCodes.Issue("row", TemplateCodes.RowMalformed,
                    ("detail", $"{record.Count} cells where the header has {columns.Length}")));
                continue;
            }
            string? email = null, language = null;
            IReadOnlyList<string> attachments = [];
            var data = new Dictionary<string, object>(StringComparer.Ordinal);
            for (var i = 0; i < columns.Length; i++)
            {
                var value = record[i];
                switch (columns[i].ToLowerInvariant())
                {
                    case EmailField: email = value.Trim(); break;
                    case LanguageField: language = string.IsNullOrWhiteSpace(value) ? null : value.Trim(); break;
                    case AttachmentsField: attachments = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                    default: SetPath(data, columns[i], value); break;
                }
            }
            yield return new RecipientInput(row, string.IsNullOrEmpty(email) ? null : email, language, data, attachments, null);
        }
    }

    private static void SetPath(Dictionary<string, object> data, string path, string value)
    {
        var parts = path.Split('.');
        var target = data;
        foreach (var part in parts[..^1])
        {
            if (target.GetValueOrDefault(part) is not Dictionary<string, object> child) target[part] = child = new Dictionary<string, object>(StringComparer.Ordinal);
            target = child;
        }
        target[parts[^1]] = value;
    }
}

/// <summary>RFC 4180 records from a reader: quoted cells may hold commas, doubled quotes and line breaks; one record at a time.</summary>
internal sealed class CsvRecordReader(TextReader reader)
{
    private readonly char[] _buffer = new char[64 * 1024];
    private int _length, _position;

    public async Task<List<string>?> ReadAsync(CancellationToken cancellationToken)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var any = false;
        while (true)
        {
            if (_position == _length)
            {
                _length = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
                _position = 0;
                if (_length == 0)
                {
                    if (!any) return null;
                    cells.Add(cell.ToString());
                    return cells;
                }
            }
            var c = _buffer[_position++];
            any = true;
            if (quoted)
            {
                if (c != '"') { cell.Append(c); continue; }
                if (await PeekAsync(cancellationToken) == '"') { _position++; cell.Append('"'); continue; }
                quoted = false;
                continue;
            }
            switch (c)
            {
                case '"' when cell.Length == 0: quoted = true; break;
                case ',': cells.Add(cell.ToString()); cell.Clear(); break;
                case '\r': break;
                case '\n': cells.Add(cell.ToString()); return cells;
                default: cell.Append(c); break;
            }
        }
    }

    private async Task<int> PeekAsync(CancellationToken cancellationToken)
    {
        if (_position == _length)
        {
            _length = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
            _position = 0;
            if (_length == 0) return -1;
        }
        return _buffer[_position];
    }
}

/// <summary>Writes CSV cells safely for spreadsheets: quoted when needed, and a cell a spreadsheet would run as a formula is neutralised.</summary>
public static class CsvCells
{
    /// <summary>One CSV line (without the line break).</summary>
    public static string Line(IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell));

    /// <summary>
    /// <paramref name="value"/> as one cell: a value starting with <c>= + - @</c> (or tab / carriage return)
    /// gets a leading apostrophe so no spreadsheet evaluates it (CSV injection); quotes, commas and
    /// line breaks are quoted.
    /// </summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny(['"', ',', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
