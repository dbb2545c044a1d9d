-- Schema version 6: templates (every version kept), the languages recipients read, mass mailings
-- and their rows (each row linked to its queued message, or holding the reason it was not sent).
CREATE TABLE templates (
    name             text NOT NULL,
    version          integer NOT NULL,
    description      text NULL,
    languages_json   jsonb NOT NULL,             -- {"en": {subject, text, html}, "pl": {...}}
    sample_data_json text NULL,
    created_by       text NULL,                 -- NULL: Mailroom's built-in template
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE recipient_languages (
    email      text NOT NULL PRIMARY KEY,        -- stored lower-case
    language   text NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE mailings (
    id               text PRIMARY KEY,
    name             text NOT NULL,
    template_name    text NOT NULL,
    template_version integer NOT NULL,
    language         text NOT NULL,
    sender_user_id   text NOT NULL,
    created_by       text NOT NULL,
    created_at       timestamptz NOT NULL,
    state            text NOT NULL,             -- feeding, running, paused, cancelled
    total_rows       integer NOT NULL DEFAULT 0
);
CREATE INDEX mailings_sender ON mailings (sender_user_id, created_at);

CREATE TABLE mailing_rows (
    mailing_id        text NOT NULL REFERENCES mailings (id),
    row_number        integer NOT NULL,
    address           text NULL,
    message_id        text NULL REFERENCES messages (id),   -- NULL: a bad row, see problem_*
    problem_field     text NULL,
    problem_code      text NULL,
    problem_args_json text NULL,
    PRIMARY KEY (mailing_id, row_number)
);
CREATE INDEX mailing_rows_message ON mailing_rows (message_id);
