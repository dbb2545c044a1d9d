using Mailroom.Core.Localization;
using Mailroom.Server.Apis;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Mailroom.Server.Hosting;

/// <summary>
/// <c>Mailroom:Limits:MaxRequestBodyBytes</c> for every request, API and forms alike, and
/// <c>Mailroom:Limits:MaxUploadBytes</c> for the endpoints marked <see cref="UploadEndpointAttribute"/>
/// (the mailing upload): a body declared larger is refused before it is read, and one that grows
/// past the limit while streaming (chunked) is cut off — both with a 413 ProblemDetails in the
/// caller's language naming the limit and its setting.
/// </summary>
public static class RequestLimits
{
    /// <summary>The problem code of a too-large body.</summary>
    public const string TooLargeCode = "request.tooLarge";

    private const string GeneralSetting = "Mailroom:Limits:MaxRequestBodyBytes";
    private const string UploadSetting = "Mailroom:Limits:MaxUploadBytes";

    /// <summary>Applies the general limit to Kestrel and to form reading (upload endpoints raise both per request).</summary>
    public static WebApplicationBuilder AddMailroomRequestLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<MailroomOptions>>((kestrel, mailroom) =>
            kestrel.Limits.MaxRequestBodySize = mailroom.Value.Limits.MaxRequestBodyBytes);
        builder.Services.AddOptions<FormOptions>().Configure<IOptions<MailroomOptions>>((form, mailroom) =>
            form.MultipartBodyLengthLimit = mailroom.Value.Limits.MaxRequestBodyBytes);
        return builder;
    }

    /// <summary>Refuses oversized bodies (declared or streamed) with 413.</summary>
    public static WebApplication UseMailroomRequestLimits(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var (limit, upload) = LimitOf(context);
            if (context.Request.ContentLength is long declared && declared > limit)
            {
                await TooLarge(context).ExecuteAsync(context);
                return;
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                size.MaxRequestBodySize = limit;
            // Only a body of unknown length is counted; a request that cannot have one (most GETs) is left alone.
            if (context.Request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false
                && context.Request.Body.CanRead)
                context.Request.Body = new LimitedStream(context.Request.Body, limit);
            // The form reader has its own multipart limit; an upload endpoint's form may be as large as its body.
            if (upload && context.Request.HasFormContentType)
                context.Features.Set<IFormFeature>(new FormFeature(context.Request, new FormOptions { MultipartBodyLengthLimit = limit }));
            await next(context);
        });
        return app;
    }

    /// <summary>The body limit of this request's endpoint, and whether it is an upload endpoint.</summary>
    public static (long Limit, bool Upload) LimitOf(HttpContext context)
    {
        var limits = context.RequestServices.GetMailroomOptions().Limits;
        return context.GetEndpoint()?.Metadata.GetMetadata<UploadEndpointAttribute>() is null
            ? (limits.MaxRequestBodyBytes, false)
            : (limits.MaxUploadBytes, true);
    }

    /// <summary>The 413 answer: the limit in bytes, its setting and a sentence in the caller's language.</summary>
    public static IResult TooLarge(HttpContext context)
    {
        var (limit, upload) = LimitOf(context);
        var args = new Dictionary<string, object?> { ["limit"] = limit, ["setting"] = upload ? UploadSetting : GeneralSetting };
        var message = Messages.Format(TooLargeCode, context.Language(), args);
        return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: message,
            extensions: new Dictionary<string, object?>
            {
                ["code"] = TooLargeCode,
                ["limit"] = limit,
                ["issues"] = new[] { new IssueView("body", TooLargeCode, "error", message) },
            });
    }

    /// <summary>A request body that throws a 413 <see cref="Microsoft.AspNetCore.Http.BadHttpRequestException"/> past the limit.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit) throw new Microsoft.AspNetCore.Http.BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>
/// Marks an endpoint (minimal API or page model) that takes files in bulk: its body may be as
/// large as <c>Mailroom:Limits:MaxUploadBytes</c> instead of the general request limit.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class UploadEndpointAttribute : Attribute;
