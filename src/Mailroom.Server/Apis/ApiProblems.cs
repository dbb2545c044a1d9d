using Mailroom.Core.Localization;
using Mailroom.Core.Settings.Validation;

namespace Mailroom.Server.Apis;

/// <summary>ProblemDetails for every error the API returns, in the caller's language (the web UI's choice, else Accept-Language: pl or en).</summary>
public static class ApiProblems
{
    /// <summary>
    /// "pl" or "en": the language chosen in the web UI (its cookie, so a signed-in browser's API calls
    /// speak the pages' language), else the request's Accept-Language.
    /// </summary>
    public static string Language(this HttpContext context) => WebUi.UiLanguage.Of(context);

    /// <summary>400 naming every field that is wrong; <c>errors</c> as in ASP.NET Core, plus <c>issues</c> with codes.</summary>
    public static IResult Validation(HttpContext context, IEnumerable<ValidationIssue> issues)
    {
        var language = context.Language();
        var all = issues.ToArray();
        var errors = all.Where(i => i.Severity == IssueSeverity.Error)
            .GroupBy(i => i.Field)
            .ToDictionary(g => g.Key, g => g.Select(i => i.Message(language)).ToArray());
        return TypedResults.ValidationProblem(
            errors,
            title: Messages.Format("validation.title", language),
            extensions: new Dictionary<string, object?> { ["issues"] = Views(all, language) });
    }

    /// <summary>A single-field 400.</summary>
    public static IResult Validation(HttpContext context, string field, string code, object? value = null) =>
        Validation(context, [new ValidationIssue(field, code, IssueSeverity.Error, new Dictionary<string, object?> { ["value"] = value })]);

    /// <summary>The issues as the API shows them.</summary>
    public static IssueView[] Views(IEnumerable<ValidationIssue> issues, string language) =>
        issues.Select(i => new IssueView(i.Field, i.Code, i.Severity == IssueSeverity.Error ? "error" : "warning", i.Message(language))).ToArray();

    /// <summary>404 with a sentence.</summary>
    public static IResult NotFound(HttpContext context, string code, IReadOnlyDictionary<string, object?> args) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: Messages.Format(code, context.Language(), args),
            extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>403: a user reaching for someone else's data.</summary>
    public static IResult Forbidden(HttpContext context) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: Messages.Format("access.forbidden", context.Language()),
            extensions: new Dictionary<string, object?> { ["code"] = "access.forbidden" });
}
