-- jiesu schema, version 3 (PostgreSQL): trained dispatch models, versioned.
CREATE TABLE models (
    version BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    meta TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    created_ms BIGINT NOT NULL,
    active BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX models_active ON models (kind, active);
