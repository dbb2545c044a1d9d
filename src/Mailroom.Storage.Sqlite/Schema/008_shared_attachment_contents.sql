-- Schema version 8: attachment bytes stored once per distinct content. A mailing that sends the same
-- invoice PDF to 100,000 recipients stores it once; each message's attachment row names its file
-- and refers to the content by its SHA-256 (lowercase hex). Content is deleted with the last row
-- that refers to it (trigger below), so deleting messages neither orphans nor loses shared bytes;
-- the foreign key refuses to delete content that is still referred to.
CREATE TABLE attachment_contents (
    sha256  TEXT PRIMARY KEY,                   -- lowercase hex SHA-256 of content
    size    INTEGER NOT NULL,
    content BLOB NOT NULL
);

CREATE TABLE message_attachments_v8 (
    message_id     TEXT NOT NULL REFERENCES messages (id),
    position       INTEGER NOT NULL,
    file_name      TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    content_sha256 TEXT NOT NULL REFERENCES attachment_contents (sha256),
    PRIMARY KEY (message_id, position)
);

-- Existing attachments move to the shared table (mailroom_sha256 is registered by the migrator).
INSERT OR IGNORE INTO attachment_contents (sha256, size, content)
    SELECT mailroom_sha256(content), length(content), content FROM message_attachments;
INSERT INTO message_attachments_v8 (message_id, position, file_name, content_type, content_sha256)
    SELECT message_id, position, file_name, content_type, mailroom_sha256(content) FROM message_attachments;
DROP TABLE message_attachments;
ALTER TABLE message_attachments_v8 RENAME TO message_attachments;
CREATE INDEX message_attachments_content ON message_attachments (content_sha256);

-- The last attachment row referring to a content takes the content with it.
CREATE TRIGGER message_attachments_release_content AFTER DELETE ON message_attachments
WHEN NOT EXISTS (SELECT 1 FROM message_attachments WHERE content_sha256 = OLD.content_sha256)
BEGIN
    DELETE FROM attachment_contents WHERE sha256 = OLD.content_sha256;
END;
