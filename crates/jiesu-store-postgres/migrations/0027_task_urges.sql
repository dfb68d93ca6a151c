-- jiesu schema, version 27 (PostgreSQL): the supervision office's urges (督办) on a live task,
-- and the indexes the reminder lists (催办与督办) and the assessment's report rate read by time.
CREATE TABLE task_urges (
    id BIGSERIAL PRIMARY KEY,
    task_id BIGINT NOT NULL REFERENCES tasks(id),
    author TEXT NOT NULL,
    note TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE INDEX task_urges_by_task ON task_urges (task_id, id);
CREATE INDEX task_urges_by_time ON task_urges (created_ms);
CREATE INDEX task_alerts_by_time ON task_alerts (created_ms);
CREATE INDEX task_reports_by_time ON task_reports (created_ms);
