-- Schema version 7: bounce intake and the suppression list (issue 6), and the reply-to relay settings.
-- Addresses that hard-bounced (5.x.x); stored trimmed and in lower case.
CREATE TABLE suppressions (
    address         text PRIMARY KEY,
    reason          text NOT NULL,
    status          text NULL,          -- the DSN's enhanced status code
    diagnostic_code text NULL,
    message_id      text NULL,          -- the queue message whose bounce suppressed it
    created_at      timestamptz NOT NULL
);

-- Everything read from the bounce mailbox, kept whatever it was (bounce, auto-reply, unparseable).
CREATE TABLE inbound_mail (
    id              text PRIMARY KEY,   -- UUIDv7: sorts by arrival
    source_key      text NOT NULL UNIQUE, -- folder/UIDVALIDITY/UID: the same mail is never taken twice
    received_at     timestamptz NOT NULL,
    kind            text NOT NULL,      -- bounce, notice, autoReply, unparseable
    message_id      text NULL,
    correlated_by   text NULL,          -- verp, envid, messageId
    from_address    text NULL,
    subject         text NULL,
    detail          text NOT NULL,
    recipients_json jsonb NOT NULL,
    raw             bytea NOT NULL,
    processed_at    timestamptz NULL    -- NULL: read and kept, effects not yet applied
);
CREATE INDEX inbound_mail_kind ON inbound_mail (kind, id);
CREATE INDEX inbound_mail_message ON inbound_mail (message_id);

-- The reply-to relay's organisation slug and system events domain (JSON; NULL = not set).
ALTER TABLE deployment_settings ADD COLUMN reply_to_relay_json jsonb NULL;
