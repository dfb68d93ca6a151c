-- jiesu schema, version 1 (PostgreSQL). SQLite has the same version with its own types.
CREATE TABLE bodies (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    parent_id BIGINT REFERENCES bodies(id),
    areas TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    body_id BIGINT REFERENCES bodies(id),
    password_hash TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_ms BIGINT NOT NULL
);

-- Named counters: appeal ids and the serial of each day's appeal numbers.
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    last BIGINT NOT NULL
);

CREATE TABLE appeals (
    id BIGINT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    query_code TEXT NOT NULL,
    status TEXT NOT NULL,
    channel TEXT NOT NULL,
    appeal_type TEXT NOT NULL,
    urgency TEXT NOT NULL,
    category_l1 TEXT,
    lead_body_id BIGINT,
    district TEXT,
    title TEXT NOT NULL,
    body_text TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL,
    version BIGINT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX appeals_created ON appeals (created_ms);
CREATE INDEX appeals_status_created ON appeals (status, created_ms);
CREATE INDEX appeals_category_created ON appeals (category_l1, created_ms);

CREATE TABLE appeal_bodies (
    appeal_id BIGINT NOT NULL REFERENCES appeals(id),
    body_id BIGINT NOT NULL,
    PRIMARY KEY (appeal_id, body_id)
);
CREATE INDEX appeal_bodies_body ON appeal_bodies (body_id);

CREATE TABLE events (
    appeal_id BIGINT NOT NULL REFERENCES appeals(id),
    seq BIGINT NOT NULL,
    action TEXT NOT NULL,
    data TEXT NOT NULL,
    actor_id BIGINT,
    at_ms BIGINT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (appeal_id, seq)
);
CREATE INDEX events_at ON events (at_ms);

CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY,
    appeal_id BIGINT NOT NULL REFERENCES appeals(id),
    created_ms BIGINT NOT NULL
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
