using System.Buffers;
using System.Text;
using System.Text.Json;
using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Mailroom.Storage.Sqlite;

/// <summary>
/// New messages (rows, attachments, first history entries) written in batches: the batch is
/// encoded by <see cref="Prepare"/> (drafts serialized, ids made, attachment rows as JSON) on the
/// caller's thread, before the group commit's single writer gets it; <see cref="WriteAsync"/> then
/// inserts the messages with one prepared statement and the attachment and history rows with one
/// <c>INSERT … SELECT … FROM json_each(…)</c> each for the whole batch. Attachment
/// bytes go to <c>attachment_contents</c> once per distinct content (<see cref="AttachmentContents"/>);
/// each attachment row refers to them. The one place messages are inserted: single submissions
/// and mailing batches.
/// </summary>
internal sealed class SqliteMessageWriter
{
    private readonly object?[][] _messages;
    private readonly string _attachments;
    private readonly IReadOnlyList<(string Key, byte[] Content)> _contents;

    private SqliteMessageWriter(string[] ids, object?[][] messages, string attachments, IReadOnlyList<(string Key, byte[] Content)> contents)
    {
        Ids = ids;
        _messages = messages;
        _attachments = attachments;
        _contents = contents;
    }

    /// <summary>The new messages' ids, one per draft, in order.</summary>
    public string[] Ids { get; }

    /// <summary>Encodes <paramref name="drafts"/> for <see cref="WriteAsync"/> (no database work).</summary>
    public static SqliteMessageWriter Prepare(IReadOnlyList<MessageDraft> drafts, DateTimeOffset now)
    {
        var ids = new string[drafts.Count];
        var keys = new AttachmentContents.Keys();
        var contents = new List<(string Key, byte[] Content)>();
        var messages = new object?[drafts.Count][];
        var attachments = new ArrayBufferWriter<byte>(256);
        using (var a = new Utf8JsonWriter(attachments))
        {
            a.WriteStartArray();
            for (var i = 0; i < drafts.Count; i++)
            {
                var draft = drafts[i];
                var id = ids[i] = Guid.CreateVersion7(now).ToString("N");
                messages[i] =
                [
                    id, draft.SenderUserId, (int)draft.Priority, StoredDocuments.SerializeDraft(draft), draft.IdempotencyKey,
                    SqliteText.Time(draft.SendAfter is { } after && after > now ? after : now),
                ];
                for (var position = 0; position < draft.Attachments.Count; position++)
                {
                    var attachment = draft.Attachments[position];
                    var key = keys.Of(attachment.Content);
                    if (keys.IsNew(key)) contents.Add((key, attachment.Content));
                    a.WriteStartArray();
                    a.WriteStringValue(id);
                    a.WriteNumberValue(position);
                    a.WriteStringValue(attachment.FileName);
                    a.WriteStringValue(attachment.ContentType);
                    a.WriteStringValue(key);
                    a.WriteEndArray();
                }
            }
            a.WriteEndArray();
        }
        return new SqliteMessageWriter(ids, messages, Encoding.UTF8.GetString(attachments.WrittenSpan), contents);
    }

    /// <summary>Inserts the prepared messages with <paramref name="status"/> (Queued or Held) inside the caller's transaction.</summary>
    public async Task WriteAsync(SqliteConnection connection, SqliteTransaction transaction, MessageStatus status, DateTimeOffset now)
    {
        if (Ids.Length == 0) return;
        var at = SqliteText.Time(now);
        var reason = StoredDocuments.ArrivalReason(status);
        // Messages one by one with one prepared statement (their drafts are too large to pass as JSON
        // cheaply); the small rows below set-based.
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO messages (id, sender_user_id, status, priority, draft_json, idempotency_key, attempts, status_reason,
                                      created_at, updated_at, next_attempt_at)
                VALUES ($id, $sender, $status, $priority, $draft, $key, 0, $reason, $at, $at, $due)
                """;
            var columns = new[] { "$id", "$sender", "$priority", "$draft", "$key", "$due" }.Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
            insert.Parameters.AddWithValue("$status", status.Name());
            insert.Parameters.AddWithValue("$reason", reason);
            insert.Parameters.AddWithValue("$at", at);
            insert.Prepare();
            foreach (var message in _messages)
            {
                for (var i = 0; i < columns.Length; i++) columns[i].Value = message[i] ?? DBNull.Value;
                await insert.ExecuteNonQueryAsync();
            }
        }
        foreach (var (key, content) in _contents)
        {
            await ExecuteAsync(connection, transaction,
                "INSERT OR IGNORE INTO attachment_contents (sha256, size, content) VALUES ($key, $size, $content)",
                ("$key", key), ("$size", content.Length), ("$content", content));
        }
        if (_contents.Count > 0)
        {
            await ExecuteAsync(connection, transaction,
                """
                INSERT INTO message_attachments (message_id, position, file_name, content_type, content_sha256)
                SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each($attachments) ORDER BY key
                """,
                ("$attachments", _attachments));
        }
        await ExecuteAsync(connection, transaction,
            """
            INSERT INTO message_history (message_id, at, status, reason)
            SELECT value, $at, $status, $reason FROM json_each($ids) ORDER BY key
            """,
            ("$status", status.Name()), ("$reason", reason), ("$at", at), ("$ids", JsonSerializer.Serialize(Ids)));
    }

    /// <summary>Runs one statement with named parameters inside <paramref name="transaction"/>.</summary>
    internal static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        await command.ExecuteNonQueryAsync();
    }
}
