-- An idempotency key belongs to its caller and to the request it came with: the
-- key alone used to name an appeal, with its query code, for anyone who sent it. Rows of the
-- old table name no caller, so no caller can use them again: they are dropped.
DROP TABLE idempotency_keys;
CREATE TABLE idempotency_keys (
    caller TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    appeal_id INTEGER NOT NULL REFERENCES appeals(id),
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (caller, key)
);
-- Expired keys are purged by age.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_ms);
