-- jiesu schema, version 3 (SQLite): trained dispatch models, versioned.
CREATE TABLE models (
    version INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    meta TEXT NOT NULL,
    bytes BLOB NOT NULL,
    created_ms INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX models_active ON models (kind, active);
