-- Schema version 3: sending caps counted across nodes. One row per send slot taken (per sender
-- account on an SMTP server); rows older than the longest window are deleted as slots are taken.
CREATE TABLE send_rate_slots (
    key text NOT NULL,          -- host:port:login of the SMTP account
    at  timestamptz NOT NULL    -- the database's clock, the same for every node
);
CREATE INDEX send_rate_slots_key ON send_rate_slots (key, at);
