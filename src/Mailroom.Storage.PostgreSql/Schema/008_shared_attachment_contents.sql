-- Schema version 8: attachment bytes stored once per distinct content. A mailing that sends the same
-- invoice PDF to 100,000 recipients stores it once; each message's attachment row names its file
-- and refers to the content by its SHA-256 (lowercase hex). Content is deleted with the last row
-- that refers to it (trigger below), so deleting messages neither orphans nor loses shared bytes;
-- the foreign key refuses to delete content that is still referred to.
CREATE TABLE attachment_contents (
    sha256  text PRIMARY KEY,                   -- lowercase hex SHA-256 of content
    size    integer NOT NULL,
    content bytea NOT NULL
);

-- Existing attachments move to the shared table.
ALTER TABLE message_attachments ADD COLUMN content_sha256 text NULL;
UPDATE message_attachments SET content_sha256 = encode(sha256(content), 'hex');
INSERT INTO attachment_contents (sha256, size, content)
    SELECT content_sha256, length(content), content FROM message_attachments ON CONFLICT (sha256) DO NOTHING;
ALTER TABLE message_attachments
    ALTER COLUMN content_sha256 SET NOT NULL,
    ADD CONSTRAINT message_attachments_content_fk FOREIGN KEY (content_sha256) REFERENCES attachment_contents (sha256),
    DROP COLUMN content;
CREATE INDEX message_attachments_content ON message_attachments (content_sha256);

-- The last attachment row referring to a content takes the content with it. The content row is
-- locked first, so two transactions deleting its last two references one each cannot both see the
-- other's row and leave the content orphaned, and a writer adding a reference (which takes
-- FOR KEY SHARE on the content, see the queue storage) waits for the outcome or is waited for.
CREATE FUNCTION message_attachments_release_content() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM attachment_contents WHERE sha256 = OLD.content_sha256 FOR UPDATE;
    DELETE FROM attachment_contents c
    WHERE c.sha256 = OLD.content_sha256
      AND NOT EXISTS (SELECT 1 FROM message_attachments a WHERE a.content_sha256 = OLD.content_sha256);
    RETURN NULL;
END $$;
CREATE TRIGGER message_attachments_release_content AFTER DELETE ON message_attachments
    FOR EACH ROW EXECUTE FUNCTION message_attachments_release_content();
