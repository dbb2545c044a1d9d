using Mailroom.Core.Mail;
using Mailroom.Core.Queue;
using Mailroom.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Mailroom.Storage.Sqlite;

/// <summary>
/// Writes new messages (row, attachments, first history entry) inside one transaction with
/// prepared statements that are reused for every message, so a mailing batch of hundreds of
/// messages parses each statement once. Attachment bytes go to <c>attachment_contents</c> once per
/// distinct content (<see cref="AttachmentContents"/>); each attachment row refers to them.
/// The one place messages are inserted: single submissions and mailing batches.
/// </summary>
internal sealed class SqliteMessageWriter : IDisposable
{
    private readonly SqliteCommand _message, _attachment, _content, _history;
    private readonly AttachmentContents.Keys _keys = new();

    public SqliteMessageWriter(SqliteConnection connection, SqliteTransaction transaction)
    {
        _message = Command(connection, transaction,
            """
            INSERT INTO messages (id, sender_user_id, status, priority, draft_json, idempotency_key, attempts, status_reason,
                                  created_at, updated_at, next_attempt_at)
            VALUES (@id, @sender, @status, @priority, @draft, @key, 0, @reason, @at, @at, @due)
            """,
            "@id", "@sender", "@status", "@priority", "@draft", "@key", "@reason", "@at", "@due");
        _content = Command(connection, transaction,
            "INSERT OR IGNORE INTO attachment_contents (sha256, size, content) VALUES (@sha256, @size, @content)",
            "@sha256", "@size", "@content");
        _attachment = Command(connection, transaction,
            "INSERT INTO message_attachments (message_id, position, file_name, content_type, content_sha256) VALUES (@id, @i, @name, @type, @sha256)",
            "@id", "@i", "@name", "@type", "@sha256");
        _history = Command(connection, transaction, SqliteMessageQueueStorage.InsertHistorySql,
            "@messageId", "@at", "@status", "@reason", "@code", "@enhanced", "@text", "@recipients");
    }

    /// <summary>Inserts <paramref name="draft"/> with <paramref name="status"/> (Queued or Held); returns its new id.</summary>
    public string Insert(MessageDraft draft, MessageStatus status, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now).ToString("N");
        var at = SqliteText.Time(now);
        var reason = status == MessageStatus.Held ? SqliteMessageQueueStorage.HeldOnArrivalReason : "Queued.";
        Run(_message, id, draft.SenderUserId, status.Name(), (int)draft.Priority, StoredDocuments.SerializeDraft(draft), draft.IdempotencyKey, reason, at,
            SqliteText.Time(draft.SendAfter is { } after && after > now ? after : now));
        for (var i = 0; i < draft.Attachments.Count; i++)
        {
            var a = draft.Attachments[i];
            var key = _keys.Of(a.Content);
            if (_keys.IsNew(key)) Run(_content, key, a.Content.Length, a.Content);
            Run(_attachment, id, i, a.FileName, a.ContentType, key);
        }
        Run(_history, id, at, status.Name(), reason, null, null, null, null);
        return id;
    }

    /// <summary>A prepared command on <paramref name="connection"/> with the named parameters, in order.</summary>
    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    /// <summary>Runs a command made by <see cref="Command"/> with <paramref name="values"/> in parameter order.</summary>
    internal static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _message.Dispose();
        _content.Dispose();
        _attachment.Dispose();
        _history.Dispose();
    }
}
