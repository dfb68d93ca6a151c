-- Reply reviews (答复评价): the scores of each reply (one row per reply event), the
-- reviewer's decision, and the period and body each body's mean is taken over.
CREATE TABLE reply_reviews (
    appeal_id INTEGER NOT NULL REFERENCES appeals(id),
    reply_seq INTEGER NOT NULL,
    body_id INTEGER REFERENCES bodies(id),
    relevance REAL NOT NULL,
    completeness REAL NOT NULL,
    tone REAL NOT NULL,
    timeliness REAL NOT NULL,
    overall REAL NOT NULL,
    gaps TEXT NOT NULL,
    replied_ms INTEGER NOT NULL,
    scored_ms INTEGER NOT NULL,
    approved INTEGER,
    reviewed_ms INTEGER,
    PRIMARY KEY (appeal_id, reply_seq)
);
CREATE INDEX reply_reviews_by_time ON reply_reviews (replied_ms, body_id);
