-- Schema version 1: users, API keys, sender profiles, deployment settings, settings audit.
-- Times are ISO 8601 text in UTC ("O" format); JSON columns hold no secret.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL COLLATE NOCASE UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('user', 'administrator')),
    password_hash TEXT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    name       TEXT NOT NULL,
    key_hash   TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT NULL
);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE sender_profiles (
    scope              TEXT PRIMARY KEY,   -- 'global' or 'user:<id>'
    profile_json       TEXT NOT NULL,
    protected_password TEXT NULL,          -- ciphertext from the secret protector
    updated_at         TEXT NOT NULL
);

CREATE TABLE deployment_settings (
    id                     INTEGER PRIMARY KEY CHECK (id = 1),
    shared_sender_user_id  TEXT NULL REFERENCES users (id),
    additional_ports_json  TEXT NOT NULL
);

CREATE TABLE settings_audit (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    at                  TEXT NOT NULL,
    actor_user_id       TEXT NOT NULL,
    target              TEXT NOT NULL,
    changed_fields_json TEXT NOT NULL
);
CREATE INDEX settings_audit_target ON settings_audit (target, id);
