-- Schema version 2: the durable message queue, its attachments and every transition's history.
-- Times are ISO 8601 UTC text in one fixed format, so they compare correctly as text.
CREATE TABLE messages (
    id               TEXT PRIMARY KEY,          -- UUIDv7: sorts by creation time
    sender_user_id   TEXT NULL,                 -- NULL: the global profile
    status           TEXT NOT NULL,
    priority         INTEGER NOT NULL,          -- 0 test, 1 notification, 2 bulk
    draft_json       TEXT NOT NULL,             -- recipients, subject, bodies (attachments apart)
    idempotency_key  TEXT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    status_reason    TEXT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    next_attempt_at  TEXT NOT NULL,
    lease_token      TEXT NULL,
    lease_owner      TEXT NULL,
    lease_expires_at TEXT NULL
);
-- What a worker asks for: due messages, best priority first, oldest first.
CREATE INDEX messages_due ON messages (status, priority, next_attempt_at);
CREATE INDEX messages_sender ON messages (sender_user_id, status);
-- A repeated idempotency key from the same sender finds the first message.
CREATE UNIQUE INDEX messages_idempotency ON messages (COALESCE(sender_user_id, ''), idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE TABLE message_attachments (
    message_id   TEXT NOT NULL REFERENCES messages (id),
    position     INTEGER NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content      BLOB NOT NULL,
    PRIMARY KEY (message_id, position)
);

CREATE TABLE message_history (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id          TEXT NOT NULL REFERENCES messages (id),
    at                  TEXT NOT NULL,
    status              TEXT NOT NULL,
    reason              TEXT NOT NULL,
    reply_code          INTEGER NULL,
    reply_enhanced_code TEXT NULL,
    reply_text          TEXT NULL,
    recipients_json     TEXT NULL
);
CREATE INDEX message_history_message ON message_history (message_id, id);
