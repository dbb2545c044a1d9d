-- Schema version 5: OAuth2 sign-ins, one per sender profile ("global" or "user:<id>"). The
-- refresh token is stored only encrypted (ISecretProtector); access tokens are never stored.
CREATE TABLE oauth_grants (
    scope                   TEXT PRIMARY KEY,
    provider                TEXT NOT NULL,      -- microsoft365 | google
    kind                    TEXT NOT NULL,      -- delegated | appOnly
    account                 TEXT NOT NULL,      -- the SMTP user name the tokens act for
    protected_refresh_token TEXT NULL,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
);
