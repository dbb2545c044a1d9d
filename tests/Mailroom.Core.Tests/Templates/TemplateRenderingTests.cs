using Mailroom.Core.Localization;
using Mailroom.Core.Mail;
using Mailroom.Core.Templates;

namespace Mailroom.Core.Tests.Templates;

public class TemplateRenderingTests
{
    private const string Data = """
        {"recipientName":"Anna <b>Nowak</b>","documentName":"Faktura & rachunek","documentNumber":"FV/1","link":"https://dms.example/d/1?a=1&b=2",
         "dueDate":"2026-12-06","handedOverBy":"Jan \"Kowalski\""}
        """;

    private static CompiledTemplate Compile(MessageTemplate template)
    {
        var (compiled, issues) = CompiledTemplate.Compile(template);
        Assert.Empty(issues);
        return compiled!;
    }

    private static object Parse(string json) => TemplateData.Parse(json).Data!;

    private static MessageTemplate Template(string subject, string text, string html) => new()
    {
        Name = "t", Version = 3, CreatedAt = DateTimeOffset.UnixEpoch,
        Languages = new Dictionary<string, TemplateContent> { ["en"] = new(subject, text, html), ["pl"] = new(subject, text, html) },
    };

    [Fact]
    public void BuiltInDocumentHandedOver_RendersInPolishAndEnglish_HtmlEscaped_TextNot()
    {
        var compiled = Compile(BuiltInTemplates.All[BuiltInTemplates.DocumentHandedOver]);

        var (pl, plIssues) = compiled.Render("pl", Parse(Data));
        var (en, enIssues) = compiled.Render("en", Parse(Data));

        Assert.Empty(plIssues);
        Assert.Empty(enIssues);
        Assert.Equal("Jan \"Kowalski\" przekazał(a) Ci dokument Faktura & rachunek FV/1", pl!.Subject);
        Assert.Equal("Jan \"Kowalski\" handed over Faktura & rachunek FV/1 to you", en!.Subject);
        Assert.Contains("Dzień dobry Anna <b>Nowak</b>", pl.Text);
        Assert.Contains("Termin załatwienia: 2026-12-06", pl.Text);
        Assert.Contains("Please deal with it by 2026-12-06", en.Text);
        Assert.Contains("Anna &lt;b&gt;Nowak&lt;/b&gt;", pl.Html);
        Assert.DoesNotContain("<b>Nowak", pl.Html);
        Assert.Contains("Faktura &amp; rachunek", en.Html);
        Assert.Contains("Jan &quot;Kowalski&quot;", en.Html);
    }

    [Fact]
    public void BuiltInOverdueReminder_NamesTheDueDateAndWhoHandedItOver_InBothLanguages()
    {
        var compiled = Compile(BuiltInTemplates.All[BuiltInTemplates.OverdueReminder]);

        var (pl, _) = compiled.Render("pl", Parse(Data));
        var (en, _) = compiled.Render("en", Parse(Data));

        Assert.Equal("Przypomnienie: termin dokumentu Faktura & rachunek FV/1 minął 2026-12-06", pl!.Subject);
        Assert.Contains("przekazanego przez Jan \"Kowalski\"", pl.Text);
        Assert.Contains("was due on 2026-12-06", en!.Text);
        Assert.Contains("dms.example/d/1?a", en.Html!);
        Assert.Contains("1&amp;b", en.Html);
    }

    [Fact]
    public void MissingField_IsReportedByName_InBothLanguages()
    {
        var compiled = Compile(Template("Invoice {{number}}", "Dear {{customer.name}}", "<p>{{customer.name}}</p>"));

        var (content, issues) = compiled.Render("en", Parse("""{"number":"7"}"""));

        Assert.Null(content);
        var issue = Assert.Single(issues);
        Assert.Equal(TemplateCodes.MissingField, issue.Code);
        Assert.Equal("The data has no field 'customer.name', which the template uses.", issue.Message("en"));
        Assert.Equal("W danych brakuje pola 'customer.name', którego używa szablon.", issue.Message("pl"));
    }

    [Fact]
    public void SyntaxError_IsReportedWithThePart()
    {
        var (compiled, issues) = CompiledTemplate.Compile(Template("Hello {{name", "x", "<p>{{#if a}}</p>"));

        Assert.Null(compiled);
        Assert.Contains(issues, i => i.Field == "en.subject" && i.Code == TemplateCodes.Syntax);
        Assert.Contains(issues, i => i.Field == "pl.html" && i.Code == TemplateCodes.Syntax);
        Assert.StartsWith("Szablon jest niepoprawny:", issues[0].Message("pl"));
    }

    [Fact]
    public void LineBreakInTheRenderedSubject_IsRefused_NoHeaderInjection()
    {
        var compiled = Compile(Template("Invoice {{number}}", "x", "<p>x</p>"));

        var (content, issues) = compiled.Render("pl", Parse("""{"number":"7\r\nBcc: victim@example.com"}"""));

        Assert.Null(content);
        Assert.Equal(TemplateCodes.SubjectLineBreak, Assert.Single(issues).Code);
    }

    [Fact]
    public void Compose_RecordsTheVersionAndLanguage_LeavesSignatureAndBccToDelivery()
    {
        var compiled = Compile(Template("Invoice {{number}}", "Body {{number}}", "<html><body><p>{{number}}</p></body></html>"));

        var (draft, issues) = TemplateService.Compose(compiled, "pl", "klient@example.com", Parse("""{"number":"7"}"""), "anna", [], MessagePriority.Bulk);

        Assert.Empty(issues);
        Assert.Equal(["klient@example.com"], draft!.To);
        Assert.Empty(draft.Bcc);
        Assert.Equal("Body 7", draft.TextBody);
        Assert.Equal(("anna", MessagePriority.Bulk), (draft.SenderUserId, draft.Priority));
        Assert.Equal(new TemplateReference("t", 3, "pl"), draft.Template);
        Assert.Empty(MessageDraftValidator.Validate(draft, MessageLimits.Default).Issues);
    }

    [Fact]
    public void EveryTemplateCode_HasASentenceInBothLanguages()
    {
        var codes = typeof(TemplateCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();

        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.True(Messages.IsKnown(code), code));
    }
}
