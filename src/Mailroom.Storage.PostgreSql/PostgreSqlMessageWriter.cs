using Dapper;
using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Storage;
using Npgsql;

namespace Mailroom.Storage.PostgreSql;

/// <summary>
/// Writes new messages (rows, attachments, first history entries) inside the caller's transaction,
/// set-based: one statement per table for the whole batch (arrays through <c>unnest</c>), so a
/// mailing batch of hundreds of messages costs a handful of round trips. Attachment bytes go to
/// <c>attachment_contents</c> once per distinct content (<see cref="AttachmentContents"/>). The one
/// place messages are inserted: single submissions and mailing batches.
/// </summary>
internal static class PostgreSqlMessageWriter
{
    /// <summary>
    /// Inserts <paramref name="drafts"/> with <paramref name="status"/> (Queued or Held); returns each
    /// draft's new id, or null where its idempotency key was used before (nothing stored for it).
    /// The caller sends the NOTIFY.
    /// </summary>
    public static async Task<string?[]> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<MessageDraft> drafts, MessageStatus status, DateTimeOffset now)
    {
        if (drafts.Count == 0) return [];
        var at = now.UtcDateTime;
        var reason = StoredDocuments.ArrivalReason(status);
        var ids = drafts.Select(_ => Guid.CreateVersion7(now).ToString("N")).ToArray();
        // ON CONFLICT makes a repeated key safe even when two nodes receive it at the same moment.
        var inserted = (await connection.QueryAsync<string>(
            """
            INSERT INTO messages (id, sender_user_id, status, priority, draft_json, idempotency_key, attempts, status_reason,
                                  created_at, updated_at, next_attempt_at)
            SELECT t.id, t.sender, @status, t.priority, t.draft::jsonb, t.key, 0, @reason, @at, @at, t.due
            FROM unnest(@ids::text[], @senders::text[], @priorities::int[], @drafts::text[], @keys::text[], @dues::timestamptz[])
                 WITH ORDINALITY AS t(id, sender, priority, draft, key, due, n)
            ORDER BY t.n
            ON CONFLICT (COALESCE(sender_user_id, ''), idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            RETURNING id
            """,
            new
            {
                status = status.Name(), reason, at, ids,
                senders = drafts.Select(d => d.SenderUserId).ToArray(),
                priorities = drafts.Select(d => (int)d.Priority).ToArray(),
                drafts = drafts.Select(StoredDocuments.SerializeDraft).ToArray(),
                keys = drafts.Select(d => d.IdempotencyKey).ToArray(),
                dues = drafts.Select(d => (d.SendAfter is { } after && after > now ? after : now).UtcDateTime).ToArray(),
            },
            transaction)).ToHashSet(StringComparer.Ordinal);
        var result = ids.Select(id => inserted.Contains(id) ? id : null).ToArray();

        var keys = new AttachmentContents.Keys();
        var attachments = new List<(string MessageId, int Position, MessageAttachment Attachment, string Key)>();
        var contents = new List<(string Key, byte[] Content)>();
        for (var m = 0; m < drafts.Count; m++)
        {
            if (result[m] is not { } id) continue;
            for (var i = 0; i < drafts[m].Attachments.Count; i++)
            {
                var a = drafts[m].Attachments[i];
                var key = keys.Of(a.Content);
                if (keys.IsNew(key)) contents.Add((key, a.Content));
                attachments.Add((id, i, a, key));
            }
        }
        if (contents.Count > 0)
        {
            await StoreContentsAsync(connection, transaction, contents);
            await connection.ExecuteAsync(
                """
                INSERT INTO message_attachments (message_id, position, file_name, content_type, content_sha256)
                SELECT * FROM unnest(@ids::text[], @positions::int[], @names::text[], @types::text[], @keys::text[])
                """,
                new
                {
                    ids = attachments.Select(a => a.MessageId).ToArray(), positions = attachments.Select(a => a.Position).ToArray(),
                    names = attachments.Select(a => a.Attachment.FileName).ToArray(), types = attachments.Select(a => a.Attachment.ContentType).ToArray(),
                    keys = attachments.Select(a => a.Key).ToArray(),
                },
                transaction);
        }
        await connection.ExecuteAsync(
            """
            INSERT INTO message_history (message_id, at, status, reason)
            SELECT t.id, @at, @status, @reason FROM unnest(@ids::text[]) WITH ORDINALITY AS t(id, n) ORDER BY t.n
            """,
            new { ids = result.OfType<string>().ToArray(), at, status = status.Name(), reason }, transaction);
        return result;
    }

    // Stores the contents not stored yet and locks every one FOR KEY SHARE until the commit, so a
    // concurrent delete of its last other reference (the release trigger locks it FOR UPDATE) cannot
    // remove it under this transaction's new references. A content deleted between the INSERT and
    // the lock is stored again.
    private static async Task StoreContentsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<(string Key, byte[] Content)> contents)
    {
        var missing = contents;
        for (var attempt = 0; missing.Count > 0; attempt++)
        {
            if (attempt == 5) throw new InvalidOperationException("Attachment contents kept being deleted while they were being stored.");
            await connection.ExecuteAsync(
                """
                INSERT INTO attachment_contents (sha256, size, content)
                SELECT * FROM unnest(@keys::text[], @sizes::int[], @contents::bytea[]) ON CONFLICT (sha256) DO NOTHING
                """,
                new { keys = missing.Select(c => c.Key).ToArray(), sizes = missing.Select(c => c.Content.Length).ToArray(), contents = missing.Select(c => c.Content).ToArray() },
                transaction);
            var locked = (await connection.QueryAsync<string>(
                "SELECT sha256 FROM attachment_contents WHERE sha256 = ANY(@keys) FOR KEY SHARE",
                new { keys = missing.Select(c => c.Key).ToArray() }, transaction)).ToHashSet(StringComparer.Ordinal);
            missing = missing.Where(c => !locked.Contains(c.Key)).ToList();
        }
    }
}
