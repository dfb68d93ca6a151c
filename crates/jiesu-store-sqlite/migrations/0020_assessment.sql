-- Assessment of bodies (考核). One row per stint: each dispatch of an appeal to a lead body,
-- keyed by the dispatch event's sequence number, with the facts the events after it
-- established (kept in the same transaction as the events). Stage outcomes: NULL not yet
-- decided, 1 on time, 0 late. A month's assessment reads the stints dispatched in it.
CREATE TABLE assessment_facts (
    appeal_id INTEGER NOT NULL REFERENCES appeals(id),
    stint INTEGER NOT NULL,
    body_id INTEGER NOT NULL,
    dispatched_ms INTEGER NOT NULL,
    phone TEXT,
    place_key TEXT,
    signed INTEGER,
    contacted INTEGER,
    replied INTEGER,
    returned INTEGER NOT NULL DEFAULT 0,
    return_invalid INTEGER NOT NULL DEFAULT 0,
    called_back INTEGER NOT NULL DEFAULT 0,
    solved INTEGER NOT NULL DEFAULT 0,
    satisfied INTEGER,
    reminders INTEGER NOT NULL DEFAULT 0,
    supervisions INTEGER NOT NULL DEFAULT 0,
    reopened INTEGER NOT NULL DEFAULT 0,
    closed_ms INTEGER,
    repeated INTEGER NOT NULL DEFAULT 0,
    excluded INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (appeal_id, stint)
);
CREATE INDEX assessment_facts_period ON assessment_facts (dispatched_ms, body_id);
CREATE INDEX assessment_facts_body ON assessment_facts (body_id, dispatched_ms);
-- Repeats (重复诉求): earlier closed cases of the same citizen, or of the same thing at the
-- same place.
CREATE INDEX assessment_facts_phone ON assessment_facts (phone, closed_ms) WHERE phone IS NOT NULL;
CREATE INDEX assessment_facts_place ON assessment_facts (place_key, closed_ms) WHERE place_key IS NOT NULL;

-- The weights, tiers and minimum case count (考核权重), one row per saved version.
CREATE TABLE assessment_weights (
    version INTEGER PRIMARY KEY,
    data TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    created_by INTEGER
);

-- A body's appeal against a case's counting (申诉); an accepted one sets the stints'
-- excluded flag in the same transaction.
CREATE TABLE assessment_disputes (
    id INTEGER PRIMARY KEY,
    appeal_id INTEGER NOT NULL REFERENCES appeals(id),
    body_id INTEGER NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    filed_by INTEGER,
    filed_ms INTEGER NOT NULL,
    decided_by INTEGER,
    decided_ms INTEGER,
    note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX assessment_disputes_pending ON assessment_disputes (appeal_id, body_id)
    WHERE status = 'pending';
CREATE INDEX assessment_disputes_status ON assessment_disputes (status, id);
