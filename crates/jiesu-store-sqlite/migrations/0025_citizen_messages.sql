-- jiesu schema, version 25 (SQLite): messages to citizens (通知), an outbox sent by a job
-- with retry and back-off. One message per appeal and event: a citizen is told once.
CREATE TABLE citizen_messages (
    id INTEGER PRIMARY KEY,
    appeal_id INTEGER NOT NULL,
    event TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    body TEXT NOT NULL,
    -- 0 pending, 1 sent, 2 failed (given up)
    state INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_ms INTEGER NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    claim TEXT,
    claim_ms INTEGER,
    created_ms INTEGER NOT NULL,
    sent_ms INTEGER,
    UNIQUE (appeal_id, event)
);
CREATE INDEX citizen_messages_due ON citizen_messages (state, next_ms, id);
