-- Schema version 4: one events log for everything that happens to messages and profiles, and the
-- webhooks that deliver it. Same version and meaning as SQLite's 004.
-- Several nodes write events at once, so ids (taken at insert) do not commit in order: an id 10
-- may become visible after id 11. Readers therefore order by (tx, id), tx being the writing
-- transaction's id, and read only events whose transaction is older than every transaction still
-- running (pg_snapshot_xmin): nothing can later appear before a position already read.
CREATE TABLE events (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tx                  xid8 NOT NULL DEFAULT pg_current_xact_id(),
    at                  timestamptz NOT NULL,
    type                text NOT NULL,          -- 'message.sent', 'settings.changed', …
    message_id          text NULL,
    user_id             text NULL,              -- whose message or profile; NULL: global/system
    reason              text NULL,
    code                text NULL,
    reply_code          integer NULL,
    reply_enhanced_code text NULL,
    reply_text          text NULL,
    details_json        jsonb NULL
);
CREATE INDEX events_order ON events (tx, id);
CREATE INDEX events_message ON events (message_id, tx, id);
CREATE INDEX events_user ON events (user_id, tx, id);

-- Every message transition's history row writes its event in the same transaction and the same
-- statement, whichever code path (today's or one added later) inserted it: one set-based INSERT
-- per statement, no extra round trip.
CREATE FUNCTION message_history_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (at, type, message_id, user_id, reason, reply_code, reply_enhanced_code, reply_text, details_json)
    SELECT h.at, 'message.' || h.status, h.message_id, m.sender_user_id, h.reason, h.reply_code, h.reply_enhanced_code, h.reply_text,
           CASE WHEN h.recipients_json IS NULL THEN NULL ELSE jsonb_build_object('recipients', h.recipients_json) END
    FROM inserted h JOIN messages m ON m.id = h.message_id
    ORDER BY h.id;
    RETURN NULL;
END $$;
CREATE TRIGGER message_history_events AFTER INSERT ON message_history
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION message_history_events();

-- Every settings change (audited in the same transaction as the save) is an event as well.
CREATE FUNCTION settings_audit_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (at, type, user_id, reason, details_json)
    VALUES (NEW.at, 'settings.changed', CASE WHEN NEW.target LIKE 'user:%' THEN substr(NEW.target, 6) END, NEW.target,
            jsonb_build_object('actorUserId', NEW.actor_user_id, 'target', NEW.target, 'changedFields', NEW.changed_fields_json));
    RETURN NULL;
END $$;
CREATE TRIGGER settings_audit_events AFTER INSERT ON settings_audit FOR EACH ROW EXECUTE FUNCTION settings_audit_events();

CREATE TABLE webhook_endpoints (
    id               text PRIMARY KEY,
    url              text NOT NULL,
    event_types_json jsonb NOT NULL,            -- ["message.sent", "message.*"] or ["*"]
    enabled          boolean NOT NULL,
    protected_secret text NOT NULL,             -- ciphertext from the secret protector
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

-- One row per (endpoint, event) to deliver; the dispatcher's work list.
CREATE TABLE webhook_deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id     text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id        bigint NOT NULL REFERENCES events (id),
    state           text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';

-- The delivery log: every attempt, its HTTP status or error.
CREATE TABLE webhook_attempts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    endpoint_id text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id    bigint NOT NULL,
    event_type  text NOT NULL,
    attempt     integer NOT NULL,
    at          timestamptz NOT NULL,
    status_code integer NULL,
    error       text NULL,
    outcome     text NOT NULL CHECK (outcome IN ('delivered', 'retrying', 'failed'))
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, id);

-- How far the dispatcher has read the events log.
CREATE TABLE webhook_dispatch_state (
    id            integer PRIMARY KEY CHECK (id = 1),
    last_event_id bigint NOT NULL
);
INSERT INTO webhook_dispatch_state (id, last_event_id) VALUES (1, 0);
