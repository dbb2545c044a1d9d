-- Schema version 5: OAuth2 sign-ins, one per sender profile ("global" or "user:<id>"). The
-- refresh token is stored only encrypted (ISecretProtector); access tokens are never stored.
CREATE TABLE oauth_grants (
    scope                   text PRIMARY KEY,
    provider                text NOT NULL,      -- microsoft365 | google
    kind                    text NOT NULL,      -- delegated | appOnly
    account                 text NOT NULL,      -- the SMTP user name the tokens act for
    protected_refresh_token text NULL,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL
);
