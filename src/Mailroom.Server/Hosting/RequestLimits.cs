using Mailroom.Core.Localization;
using Mailroom.Server.Apis;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Mailroom.Server.Hosting;

/// <summary>
/// <c>Mailroom:Limits:MaxRequestBodyBytes</c> for every request, API and forms alike (an endpoint
/// may declare its own with <c>[RequestSizeLimit]</c>): a body
/// declared larger is refused before it is read, and one that grows past the limit while
/// streaming (chunked) is cut off — both with a 413 ProblemDetails in the caller's language.
/// </summary>
public static class RequestLimits
{
    /// <summary>The problem code of a too-large body.</summary>
    public const string TooLargeCode = "request.tooLarge";

    /// <summary>Applies the limit to Kestrel and to form reading.</summary>
    public static WebApplicationBuilder AddMailroomRequestLimits(this WebApplicationBuilder builder)
    {
        var limit = builder.Configuration.GetSection(MailroomOptions.Section).Get<MailroomOptions>()?.Limits.MaxRequestBodyBytes
            ?? new LimitsOptions().MaxRequestBodyBytes;
        builder.Services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = limit);
        builder.Services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = limit);
        return builder;
    }

    /// <summary>Refuses oversized bodies (declared or streamed) with 413.</summary>
    public static WebApplication UseMailroomRequestLimits(this WebApplication app)
    {
        var defaultLimit = app.Services.GetMailroomOptions().Limits.MaxRequestBodyBytes;
        app.Use(async (context, next) =>
        {
            // An endpoint that takes uploads says so with [RequestSizeLimit] / IRequestSizeLimitMetadata
            // (the mailing upload); every other request gets the configured limit.
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? defaultLimit;
            if (context.Request.ContentLength is long declared && declared > limit)
            {
                await TooLarge(context, limit).ExecuteAsync(context);
                return;
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                size.MaxRequestBodySize = limit;
            if (context.Request.ContentLength is null && context.Request.Body.CanRead)
                context.Request.Body = new LimitedStream(context.Request.Body, limit);
            await next(context);
        });
        return app;
    }

    /// <summary>The 413 answer: the limit in bytes and a sentence in the caller's language.</summary>
    public static IResult TooLarge(HttpContext context, long limit)
    {
        var args = new Dictionary<string, object?> { ["limit"] = limit };
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
