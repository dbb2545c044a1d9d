-- Schema version 6: templates (every version kept), the languages recipients read, mass mailings
-- and their rows (each row linked to its queued message, or holding the reason it was not sent).
CREATE TABLE templates (
    name             TEXT NOT NULL,
    version          INTEGER NOT NULL,
    description      TEXT NULL,
    languages_json   TEXT NOT NULL,             -- {"en": {subject, text, html}, "pl": {...}}
    sample_data_json TEXT NULL,
    created_by       TEXT NULL,                 -- NULL: Mailroom's built-in template
    created_at       TEXT NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE recipient_languages (
    email      TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    language   TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE mailings (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    template_name    TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    language         TEXT NOT NULL,
    sender_user_id   TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    state            TEXT NOT NULL,             -- feeding, running, paused, cancelled
    total_rows       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX mailings_sender ON mailings (sender_user_id, created_at);

CREATE TABLE mailing_rows (
    mailing_id        TEXT NOT NULL REFERENCES mailings (id),
    row_number        INTEGER NOT NULL,
    address           TEXT NULL,
    message_id        TEXT NULL REFERENCES messages (id),   -- NULL: a bad row, see problem_*
    problem_field     TEXT NULL,
    problem_code      TEXT NULL,
    problem_args_json TEXT NULL,
    PRIMARY KEY (mailing_id, row_number)
);
CREATE INDEX mailing_rows_message ON mailing_rows (message_id);
