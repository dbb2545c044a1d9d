using System.Text.Json;
using Mailroom.Core.Localization;
using Microsoft.AspNetCore.Diagnostics;

namespace Mailroom.Server.Apis;

/// <summary>
/// Turns an unreadable request body (malformed JSON, a string where a number belongs, an
/// unknown field) into a 400 that names the field, instead of an empty response.
/// </summary>
public sealed class RequestBodyErrors : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await Hosting.RequestLimits.TooLarge(context).ExecuteAsync(context);
            return true;
        }
        var language = context.Language();
        var (field, code, args) = bad.InnerException switch
        {
            JsonException { Path: { Length: > 2 } path } json when json.Message.Contains("could not be mapped", StringComparison.Ordinal) =>
                (FieldOf(path), "request.unknownField", new Dictionary<string, object?> { ["field"] = FieldOf(path) }),
            JsonException { Path: { Length: > 2 } path } json when json.Message.Contains("could not be converted", StringComparison.Ordinal) =>
                (FieldOf(path), "request.wrongType", new Dictionary<string, object?> { ["field"] = FieldOf(path) }),
            JsonException json =>
                ("body", "request.invalidJson", new Dictionary<string, object?> { ["detail"] = FirstSentence(json.Message) }),
            _ when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) && context.Request.ContentLength is null or 0 =>
                ("body", "request.bodyRequired", null),
            _ => ("body", "request.invalidJson", new Dictionary<string, object?> { ["detail"] = FirstSentence(bad.Message) }),
        };
        var message = Messages.Format(code, language, args);
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [field] = [message] },
                title: Messages.Format("validation.title", language),
                extensions: new Dictionary<string, object?> { ["issues"] = new[] { new IssueView(field, code, "error", message) } })
            .ExecuteAsync(context);
        return true;
    }

    // "$.port" → "port"; "$.to[2]" → "to[2]"
    private static string FieldOf(string jsonPath) => jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath;

    private static string FirstSentence(string text)
    {
        var cut = text.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? text[..(cut + 1)] : text;
    }
}
