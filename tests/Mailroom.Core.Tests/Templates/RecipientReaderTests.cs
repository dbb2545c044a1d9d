using System.Text;
using Mailroom.Core.Mailings;
using Mailroom.Core.Templates;

namespace Mailroom.Core.Tests.Templates;

public class RecipientReaderTests
{
    private static async Task<List<RecipientInput>> ReadAsync(string content, string? fileName)
    {
        var (format, stream) = await RecipientReader.DetectAsync(new MemoryStream(Encoding.UTF8.GetBytes(content)), fileName);
        var rows = new List<RecipientInput>();
        await foreach (var row in RecipientReader.ReadAsync(stream, format)) rows.Add(row);
        return rows;
    }

    [Fact]
    public async Task Csv_QuotedCellsWithCommasQuotesAndLineBreaks_DottedColumnsNest()
    {
        var rows = await ReadAsync("email,customer.name,note,attachments,language\r\n" +
                                   "a@example.com,\"Nowak, Anna\",\"line1\nline2 \"\"quoted\"\"\",fv-1.pdf; regulamin.pdf,PL\r\n" +
                                   "\r\n" +
                                   "b@example.com,Jan,,,\r\n" +
                                   "c@example.com,too,few\r\n", null);

        Assert.Equal(3, rows.Count);
        var first = rows[0];
        Assert.Equal((1, "a@example.com", "PL"), (first.Row, first.Email, first.Language));
        Assert.Equal(["fv-1.pdf", "regulamin.pdf"], first.Attachments);
        var data = (Dictionary<string, object>)first.Data;
        Assert.Equal("Nowak, Anna", ((Dictionary<string, object>)data["customer"])["name"]);
        Assert.Equal("line1\nline2 \"quoted\"", data["note"]);
        Assert.Null(rows[1].Problem);
        Assert.Null(rows[1].Language);
        Assert.Equal(TemplateCodes.RowMalformed, rows[2].Problem!.Code);
        Assert.Equal(3, rows[2].Row);
    }

    [Fact]
    public async Task JsonArray_IsDetectedByItsFirstCharacter_BadElementsReportedPerRow()
    {
        var rows = await ReadAsync("""
            [ {"email":"a@example.com","data":{"n":1},"attachments":["x.pdf"]},
              "not an object",
              {"email":"c@example.com","unknown":1} ]
            """, "upload.bin");

        Assert.Equal(3, rows.Count);
        Assert.Equal("1", ((Dictionary<string, object?>)rows[0].Data)["n"]);
        Assert.Equal(["x.pdf"], rows[0].Attachments);
        Assert.Equal(TemplateCodes.RowMalformed, rows[1].Problem!.Code);
        Assert.Contains("unknown", rows[2].Problem!.Args!["detail"]!.ToString());
    }

    [Fact]
    public async Task BrokenJson_ReportsTheRestAsUnreadable_NotSilentlyDropped()
    {
        var rows = await ReadAsync("""[{"email":"a@example.com"}, {"email": """, "r.json");

        Assert.Equal(2, rows.Count);
        Assert.Null(rows[0].Problem);
        Assert.Equal(TemplateCodes.RecipientsUnreadable, rows[1].Problem!.Code);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+48 123", "'+48 123")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("plain, with comma", "\"plain, with comma\"")]
    [InlineData("ok", "ok")]
    public void CsvCells_NeutraliseFormulas_AndQuoteWhatNeedsIt(string value, string expected) =>
        Assert.Equal(expected, CsvCells.Cell(value));
}
