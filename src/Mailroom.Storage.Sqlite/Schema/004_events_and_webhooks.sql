-- Schema version 4: one events log for everything that happens to messages and profiles, and the
-- webhooks that deliver it. Times are ISO 8601 UTC text, as in 001/002.
-- SQLite has one writer at a time, so ids are handed out in commit order: id is the cursor.
CREATE TABLE events (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    at                  TEXT NOT NULL,
    type                TEXT NOT NULL,          -- 'message.sent', 'settings.changed', …
    message_id          TEXT NULL,
    user_id             TEXT NULL,              -- whose message or profile; NULL: global/system
    reason              TEXT NULL,
    code                TEXT NULL,
    reply_code          INTEGER NULL,
    reply_enhanced_code TEXT NULL,
    reply_text          TEXT NULL,
    details_json        TEXT NULL
);
CREATE INDEX events_message ON events (message_id, id);
CREATE INDEX events_user ON events (user_id, id);

-- Every message transition's history row writes its event in the same transaction, whichever
-- code path (today's or one added later) inserted the history row.
CREATE TRIGGER message_history_event AFTER INSERT ON message_history
BEGIN
    INSERT INTO events (at, type, message_id, user_id, reason, reply_code, reply_enhanced_code, reply_text, details_json)
    VALUES (NEW.at, 'message.' || NEW.status, NEW.message_id,
            (SELECT sender_user_id FROM messages WHERE id = NEW.message_id),
            NEW.reason, NEW.reply_code, NEW.reply_enhanced_code, NEW.reply_text,
            CASE WHEN NEW.recipients_json IS NULL THEN NULL ELSE json_object('recipients', json(NEW.recipients_json)) END);
END;

-- Every settings change (audited in the same transaction as the save) is an event as well.
CREATE TRIGGER settings_audit_event AFTER INSERT ON settings_audit
BEGIN
    INSERT INTO events (at, type, user_id, reason, details_json)
    VALUES (NEW.at, 'settings.changed', CASE WHEN NEW.target LIKE 'user:%' THEN substr(NEW.target, 6) END, NEW.target,
            json_object('actorUserId', NEW.actor_user_id, 'target', NEW.target, 'changedFields', json(NEW.changed_fields_json)));
END;

CREATE TABLE webhook_endpoints (
    id               TEXT PRIMARY KEY,
    url              TEXT NOT NULL,
    event_types_json TEXT NOT NULL,             -- ["message.sent", "message.*"] or ["*"]
    enabled          INTEGER NOT NULL,
    protected_secret TEXT NOT NULL,             -- ciphertext from the secret protector
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

-- One row per (endpoint, event) to deliver; the dispatcher's work list.
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id        INTEGER NOT NULL REFERENCES events (id),
    state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);

-- The delivery log: every attempt, its HTTP status or error.
CREATE TABLE webhook_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id    INTEGER NOT NULL,
    event_type  TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    at          TEXT NOT NULL,
    status_code INTEGER NULL,
    error       TEXT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('delivered', 'retrying', 'failed'))
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, id);

-- How far the dispatcher has read the events log.
CREATE TABLE webhook_dispatch_state (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    last_event_id INTEGER NOT NULL
);
INSERT INTO webhook_dispatch_state (id, last_event_id) VALUES (1, 0);
