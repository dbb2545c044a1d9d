-- Schema version 2: the durable message queue, its attachments and every transition's history.
-- Same version and meaning as SQLite's 002.
CREATE TABLE messages (
    id               text PRIMARY KEY,          -- UUIDv7: sorts by creation time
    sender_user_id   text NULL,                 -- NULL: the global profile
    status           text NOT NULL,
    priority         integer NOT NULL,          -- 0 test, 1 notification, 2 bulk
    draft_json       jsonb NOT NULL,            -- recipients, subject, bodies (attachments apart)
    idempotency_key  text NULL,
    attempts         integer NOT NULL DEFAULT 0,
    status_reason    text NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    lease_token      text NULL,
    lease_owner      text NULL,
    lease_expires_at timestamptz NULL
);
-- What a worker asks for: due messages, best priority first, oldest first.
CREATE INDEX messages_due ON messages (priority, next_attempt_at, id) WHERE status IN ('queued', 'deferred');
CREATE INDEX messages_leased ON messages (lease_expires_at) WHERE status = 'sending';
CREATE INDEX messages_status ON messages (status);
CREATE INDEX messages_sender ON messages (sender_user_id, status);
-- A repeated idempotency key from the same sender finds the first message.
CREATE UNIQUE INDEX messages_idempotency ON messages (COALESCE(sender_user_id, ''), idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE TABLE message_attachments (
    message_id   text NOT NULL REFERENCES messages (id),
    position     integer NOT NULL,
    file_name    text NOT NULL,
    content_type text NOT NULL,
    content      bytea NOT NULL,
    PRIMARY KEY (message_id, position)
);

CREATE TABLE message_history (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id          text NOT NULL REFERENCES messages (id),
    at                  timestamptz NOT NULL,
    status              text NOT NULL,
    reason              text NOT NULL,
    reply_code          integer NULL,
    reply_enhanced_code text NULL,
    reply_text          text NULL,
    recipients_json     jsonb NULL
);
CREATE INDEX message_history_message ON message_history (message_id, id);
