-- jiesu schema, version 29 (SQLite): a citizen is told on every channel they left (an SMS to
-- the phone, a mail to the mail address), once per appeal, event and channel; a mail has a
-- subject. SQLite cannot change a table's UNIQUE constraint, so the outbox is rebuilt.
CREATE TABLE citizen_messages_new (
    id INTEGER PRIMARY KEY,
    appeal_id INTEGER NOT NULL,
    event TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
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
    UNIQUE (appeal_id, event, channel)
);
INSERT INTO citizen_messages_new (id, appeal_id, event, channel, recipient, body, state, attempts,
    next_ms, last_error, claim, claim_ms, created_ms, sent_ms)
SELECT id, appeal_id, event, channel, recipient, body, state, attempts, next_ms, last_error,
    claim, claim_ms, created_ms, sent_ms FROM citizen_messages;
DROP TABLE citizen_messages;
ALTER TABLE citizen_messages_new RENAME TO citizen_messages;
CREATE INDEX citizen_messages_due ON citizen_messages (state, next_ms, id);
