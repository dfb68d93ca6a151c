-- jiesu schema, version 21 (PostgreSQL): government tasks (任务, 督查督办), drafts until published.
CREATE TABLE tasks (
    id BIGSERIAL PRIMARY KEY,
    document TEXT NOT NULL DEFAULT '',
    number TEXT NOT NULL DEFAULT '',
    section TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    body_text TEXT NOT NULL DEFAULT '',
    lead_bodies TEXT NOT NULL DEFAULT '[]',
    co_bodies TEXT NOT NULL DEFAULT '[]',
    due TEXT,
    cadence TEXT NOT NULL DEFAULT 'none',
    created_ms BIGINT NOT NULL,
    published_ms BIGINT,
    closed_ms BIGINT
);
CREATE INDEX tasks_by_publication ON tasks (published_ms, id);
