using System.Security.Claims;
using System.Text.Json;
using Mailroom.Core.Templates;
using Mailroom.Server.Security;

namespace Mailroom.Server.Apis;

/// <summary>Body of PUT /api/templates/{name}: both languages required; sampleData is a JSON object for the preview.</summary>
public sealed record TemplateSaveInput(string? Description, Dictionary<string, TemplateContent?>? Languages, JsonElement? SampleData);

/// <summary>Body of POST /api/templates/{name}/preview.</summary>
public sealed record TemplatePreviewInput(string? Language, int? Version, JsonElement? Data);

/// <summary>A template version as the API shows it.</summary>
public sealed record TemplateView(string Name, int Version, string? Description, IReadOnlyDictionary<string, TemplateContent> Languages,
    JsonElement? SampleData, string? CreatedBy, DateTimeOffset CreatedAt, bool BuiltIn)
{
    public static TemplateView From(MessageTemplate t) => new(t.Name, t.Version, t.Description, t.Languages,
        t.SampleDataJson is null ? null : JsonDocument.Parse(t.SampleDataJson).RootElement.Clone(), t.CreatedBy, t.CreatedAt,
        BuiltInTemplates.All.ContainsKey(t.Name) && t.CreatedBy is null);
}

/// <summary>A rendered preview.</summary>
public sealed record TemplatePreviewView(string Template, int Version, string Language, string Subject, string? Text, string? Html);

/// <summary>Templates: list, read, save (a new version each time, administrators), preview with data.</summary>
public static class TemplatesApi
{
    public static IEndpointRouteBuilder MapTemplatesApi(this IEndpointRouteBuilder app)
    {
        var templates = app.MapGroup("/api/templates").WithTags("Templates").RequireAuthorization();
        templates.MapGet("", List).WithSummary("The newest version of every template, built-ins included.");
        templates.MapGet("/{name}", Get).WithSummary("A template; ?version= for an older one.");
        templates.MapGet("/{name}/versions", Versions).WithSummary("The template's version numbers, newest first.");
        templates.MapPut("/{name}", Save).RequireAuthorization(CurrentUser.AdministratorPolicy)
            .WithSummary("Saves the template as a new version (subject, text, HTML in pl and en).");
        templates.MapPost("/{name}/preview", Preview).WithSummary("Renders the template with the data given (or its sample data); sends nothing.");
        return app;
    }

    private static async Task<IResult> List(TemplateService service, CancellationToken ct) =>
        TypedResults.Ok((await service.ListAsync(ct)).Select(TemplateView.From).ToArray());

    private static async Task<IResult> Get(string name, int? version, TemplateService service, HttpContext context, CancellationToken ct) =>
        await service.GetAsync(name, version, ct) is { } template ? TypedResults.Ok(TemplateView.From(template)) : NotFound(context, name);

    private static async Task<IResult> Versions(string name, TemplateService service, HttpContext context, CancellationToken ct)
    {
        if (await service.GetAsync(name, null, ct) is null) return NotFound(context, name);
        return TypedResults.Ok(await service.ListVersionsAsync(name, ct));
    }

    private static async Task<IResult> Save(string name, TemplateSaveInput input, TemplateService service, HttpContext context, ClaimsPrincipal caller, CancellationToken ct)
    {
        var sample = input.SampleData is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } s ? s.GetRawText() : null;
        var (saved, issues) = await service.SaveAsync(name, new TemplateInput(input.Description, input.Languages, sample), caller.Id(), ct);
        return saved is null ? ApiProblems.Validation(context, issues) : TypedResults.Ok(TemplateView.From(saved));
    }

    private static async Task<IResult> Preview(string name, TemplatePreviewInput? input, TemplateService service, HttpContext context, CancellationToken ct)
    {
        var language = input?.Language ?? context.Language();
        var data = input?.Data is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } d ? d.GetRawText() : null;
        var (content, template, issues) = await service.PreviewAsync(name, input?.Version, language, data, ct);
        if (content is null)
            return issues.Any(i => i.Code == TemplateCodes.NotFound) ? NotFound(context, name) : ApiProblems.Validation(context, issues);
        return TypedResults.Ok(new TemplatePreviewView(template!.Name, template.Version, language, content.Subject, content.Text, content.Html));
    }

    private static IResult NotFound(HttpContext context, string name) =>
        ApiProblems.NotFound(context, TemplateCodes.NotFound, new Dictionary<string, object?> { ["value"] = name });
}
