-- jiesu schema, version 23 (PostgreSQL): liaison stations (联络站), their receptions (接待) and the
-- items raised there with the station's judgement (分析研判); meetings (协商会议, 月调度 …)
-- and their issues, each followed as a task.
CREATE TABLE stations (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    address TEXT NOT NULL DEFAULT '',
    district TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL DEFAULT '',
    representatives TEXT NOT NULL DEFAULT '[]',
    opening_days TEXT NOT NULL DEFAULT '[]',
    created_ms BIGINT NOT NULL
);
CREATE TABLE receptions (
    id BIGSERIAL PRIMARY KEY,
    station_id BIGINT NOT NULL REFERENCES stations (id),
    held_on TEXT NOT NULL,
    received_by BIGINT NOT NULL REFERENCES users (id),
    note TEXT NOT NULL DEFAULT '',
    created_ms BIGINT NOT NULL
);
CREATE INDEX receptions_by_station ON receptions (station_id, held_on);
CREATE TABLE station_items (
    appeal_id BIGINT PRIMARY KEY,
    reception_id BIGINT NOT NULL REFERENCES receptions (id),
    station_id BIGINT NOT NULL REFERENCES stations (id),
    created_ms BIGINT NOT NULL,
    triage TEXT,
    triage_note TEXT NOT NULL DEFAULT '',
    task_id BIGINT REFERENCES tasks (id),
    triaged_ms BIGINT
);
CREATE INDEX station_items_by_station ON station_items (station_id, created_ms);
CREATE INDEX station_items_by_reception ON station_items (reception_id);
CREATE TABLE meetings (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    title TEXT NOT NULL,
    participants TEXT NOT NULL DEFAULT '[]',
    minutes TEXT NOT NULL DEFAULT '',
    created_ms BIGINT NOT NULL
);
CREATE INDEX meetings_by_date ON meetings (held_on, id);
CREATE TABLE meeting_issues (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    position BIGINT NOT NULL,
    body_text TEXT NOT NULL,
    raised_by TEXT NOT NULL DEFAULT '',
    lead_body TEXT NOT NULL,
    task_id BIGINT REFERENCES tasks (id),
    feedback TEXT NOT NULL DEFAULT '',
    feedback_ms BIGINT
);
CREATE INDEX meeting_issues_by_meeting ON meeting_issues (meeting_id, position);
