-- Schema version 7: bounce intake and the suppression list (issue 6), and the reply-to relay settings.
-- Addresses that hard-bounced (5.x.x); stored trimmed and in lower case.
CREATE TABLE suppressions (
    address         TEXT PRIMARY KEY,
    reason          TEXT NOT NULL,
    status          TEXT NULL,          -- the DSN's enhanced status code
    diagnostic_code TEXT NULL,
    message_id      TEXT NULL,          -- the queue message whose bounce suppressed it
    created_at      TEXT NOT NULL
);

-- Everything read from the bounce mailbox, kept whatever it was (bounce, auto-reply, unparseable).
CREATE TABLE inbound_mail (
    id              TEXT PRIMARY KEY,   -- UUIDv7: sorts by arrival
    source_key      TEXT NOT NULL UNIQUE, -- folder/UIDVALIDITY/UID: the same mail is never taken twice
    received_at     TEXT NOT NULL,
    kind            TEXT NOT NULL,      -- bounce, notice, autoReply, unparseable
    message_id      TEXT NULL,
    correlated_by   TEXT NULL,          -- verp, envid, messageId
    from_address    TEXT NULL,
    subject         TEXT NULL,
    detail          TEXT NOT NULL,
    recipients_json TEXT NOT NULL,
    raw             BLOB NOT NULL,
    processed_at    TEXT NULL           -- NULL: read and kept, effects not yet applied
);
CREATE INDEX inbound_mail_kind ON inbound_mail (kind, id);
CREATE INDEX inbound_mail_message ON inbound_mail (message_id);

-- The reply-to relay's organisation slug and system events domain (JSON; NULL = not set).
ALTER TABLE deployment_settings ADD COLUMN reply_to_relay_json TEXT NULL;
