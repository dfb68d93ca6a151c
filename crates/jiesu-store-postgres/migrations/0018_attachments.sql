-- jiesu schema, version 18 (PostgreSQL): attachments (附件) — photos and documents owned by
-- an appeal or a reply (and later a task's progress report), and the bytes of those kept in
-- the database itself (the default storage; a directory or an S3 store keeps them elsewhere).
CREATE TABLE attachments (
    id BIGSERIAL PRIMARY KEY,
    owner_kind TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    event_seq BIGINT,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL UNIQUE,
    thumbnail_key TEXT,
    -- Who uploaded it: the actor, as JSON.
    uploaded_by TEXT NOT NULL,
    uploaded_ms BIGINT NOT NULL
);
CREATE INDEX attachments_by_owner ON attachments (owner_id, owner_kind);

CREATE TABLE attachment_blobs (
    key TEXT PRIMARY KEY,
    content BYTEA NOT NULL
);
