using Mailroom.Core.Mailings;

namespace Mailroom.Server.Apis;

/// <summary>Uploaded files as a mailing's attachments (the API and the web form alike).</summary>
public static class MailingUploads
{
    /// <summary>
    /// <paramref name="file"/> as a mailing file: its name without any path the browser sent, its
    /// content type (application/octet-stream when none), its bytes read only when a row names it.
    /// </summary>
    public static MailingFile ToMailingFile(IFormFile file) =>
        new(Path.GetFileName(file.FileName), string.IsNullOrEmpty(file.ContentType) ? "application/octet-stream" : file.ContentType,
            async token =>
            {
                await using var stream = file.OpenReadStream();
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, token);
                return copy.ToArray();
            });
}
