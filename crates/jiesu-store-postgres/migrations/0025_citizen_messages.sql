-- jiesu schema, version 25 (PostgreSQL): messages to citizens (通知), an outbox sent by a job
-- with retry and back-off. One message per appeal and event: a citizen is told once.
CREATE TABLE citizen_messages (
    id BIGSERIAL PRIMARY KEY,
    appeal_id BIGINT NOT NULL,
    event TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    body TEXT NOT NULL,
    -- 0 pending, 1 sent, 2 failed (given up)
    state BIGINT NOT NULL DEFAULT 0,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_ms BIGINT NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    claim TEXT,
    claim_ms BIGINT,
    created_ms BIGINT NOT NULL,
    sent_ms BIGINT,
    UNIQUE (appeal_id, event)
);
CREATE INDEX citizen_messages_due ON citizen_messages (state, next_ms, id);
