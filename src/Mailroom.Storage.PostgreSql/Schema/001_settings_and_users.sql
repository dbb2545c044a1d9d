-- Schema version 1: users, API keys, sender profiles, deployment settings, settings audit.
-- Same version and meaning as SQLite's 001; times are timestamptz, JSON columns are jsonb and hold no secret.
CREATE TABLE users (
    id            text PRIMARY KEY,
    email         text NOT NULL,
    display_name  text NOT NULL,
    role          text NOT NULL CHECK (role IN ('user', 'administrator')),
    password_hash text NULL,
    created_at    timestamptz NOT NULL
);
-- Addresses are unique regardless of case, as in SQLite's COLLATE NOCASE.
CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE api_keys (
    id         text PRIMARY KEY,
    user_id    text NOT NULL REFERENCES users (id),
    name       text NOT NULL,
    key_hash   text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz NULL
);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE sender_profiles (
    scope              text PRIMARY KEY,   -- 'global' or 'user:<id>'
    profile_json       jsonb NOT NULL,
    protected_password text NULL,          -- ciphertext from the secret protector
    updated_at         timestamptz NOT NULL
);

CREATE TABLE deployment_settings (
    id                     integer PRIMARY KEY CHECK (id = 1),
    shared_sender_user_id  text NULL REFERENCES users (id),
    additional_ports_json  jsonb NOT NULL
);

CREATE TABLE settings_audit (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at                  timestamptz NOT NULL,
    actor_user_id       text NOT NULL,
    target              text NOT NULL,
    changed_fields_json jsonb NOT NULL
);
CREATE INDEX settings_audit_target ON settings_audit (target, id);
