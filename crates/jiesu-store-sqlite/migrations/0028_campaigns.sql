-- jiesu schema, version 28 (SQLite): suggestion campaigns (民生实事意见征集), their proposals,
-- the public's support (one vote per voter and proposal: the primary key keeps it so), the
-- groups the proposals were sorted into and each group's body and answer.
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    opens TEXT NOT NULL,
    closes TEXT NOT NULL,
    -- JSON arrays: channel labels, topics, body names
    channels TEXT NOT NULL,
    topics TEXT NOT NULL,
    bodies TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    published_ms INTEGER
);
CREATE TABLE campaign_groups (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    rank INTEGER NOT NULL,
    subject TEXT NOT NULL,
    place TEXT NOT NULL,
    keywords TEXT NOT NULL,
    people INTEGER NOT NULL,
    supports INTEGER NOT NULL,
    size INTEGER NOT NULL,
    body_id INTEGER REFERENCES bodies (id),
    outcome TEXT,
    reply TEXT NOT NULL DEFAULT '',
    task_id INTEGER,
    answered_ms INTEGER
);
CREATE INDEX campaign_groups_by_campaign ON campaign_groups (campaign_id, rank);
CREATE TABLE campaign_proposals (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    title TEXT NOT NULL,
    body_text TEXT NOT NULL,
    topic TEXT NOT NULL,
    place TEXT NOT NULL,
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    anonymous INTEGER NOT NULL,
    channel TEXT NOT NULL,
    supports INTEGER NOT NULL DEFAULT 0,
    group_id INTEGER REFERENCES campaign_groups (id) ON DELETE SET NULL,
    created_ms INTEGER NOT NULL
);
CREATE INDEX campaign_proposals_by_campaign ON campaign_proposals (campaign_id, id);
CREATE INDEX campaign_proposals_by_group ON campaign_proposals (group_id);
CREATE TABLE campaign_supports (
    proposal_id INTEGER NOT NULL REFERENCES campaign_proposals (id),
    voter TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, voter)
);
