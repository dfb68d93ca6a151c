-- Reply reviews (答复评价): the scores of each reply (one row per reply event), the
-- reviewer's decision, and the period and body each body's mean is taken over.
CREATE TABLE reply_reviews (
    appeal_id BIGINT NOT NULL REFERENCES appeals(id),
    reply_seq BIGINT NOT NULL,
    body_id BIGINT REFERENCES bodies(id),
    relevance DOUBLE PRECISION NOT NULL,
    completeness DOUBLE PRECISION NOT NULL,
    tone DOUBLE PRECISION NOT NULL,
    timeliness DOUBLE PRECISION NOT NULL,
    overall DOUBLE PRECISION NOT NULL,
    gaps TEXT NOT NULL,
    replied_ms BIGINT NOT NULL,
    scored_ms BIGINT NOT NULL,
    approved BIGINT,
    reviewed_ms BIGINT,
    PRIMARY KEY (appeal_id, reply_seq)
);
CREATE INDEX reply_reviews_by_time ON reply_reviews (replied_ms, body_id);
