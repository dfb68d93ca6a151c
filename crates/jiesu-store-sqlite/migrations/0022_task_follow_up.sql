-- jiesu schema, version 22 (SQLite): following published tasks (督查督办) — their bodies by id,
-- milestones (节点), progress reports (进展报送) with the office's review, 销号, and the
-- deadline clocks the scanner keeps. The summary columns on tasks are written with each
-- report and review, so the scanner and the board read one row per task.
ALTER TABLE tasks ADD COLUMN close_note TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN last_report_ms INTEGER;
ALTER TABLE tasks ADD COLUMN accepted_percent INTEGER;
ALTER TABLE tasks ADD COLUMN done_ms INTEGER;
ALTER TABLE tasks ADD COLUMN done_on_time INTEGER;
-- 0 正常, 1 临期, 2 超期 (the worst clock), and which alerts were sent for it.
-- Counters of the task's reports and reached milestones, and whether each came on time.
ALTER TABLE tasks ADD COLUMN reports INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN reports_on_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN milestones_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN milestones_on_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN timing INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN alerted TEXT NOT NULL DEFAULT '';

CREATE TABLE task_bodies (
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    lead INTEGER NOT NULL,
    PRIMARY KEY (task_id, body_id)
);
CREATE INDEX task_bodies_by_body ON task_bodies (body_id, task_id);
-- The board reads only these columns of the live tasks, not their texts.
CREATE INDEX tasks_board ON tasks (id, published_ms, done_ms, closed_ms, timing, done_on_time,
    reports, reports_on_time, milestones_done, milestones_on_time);

CREATE TABLE task_milestones (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    due TEXT NOT NULL,
    expected TEXT NOT NULL,
    done_ms INTEGER,
    done_on_time INTEGER
);
CREATE INDEX task_milestones_by_task ON task_milestones (task_id, due);
-- The scanner's next open milestone of each task: one seek.
CREATE INDEX task_milestones_open ON task_milestones (task_id, due) WHERE done_ms IS NULL;

CREATE TABLE task_reports (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    body_id INTEGER REFERENCES bodies(id),
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    percent INTEGER NOT NULL,
    attachments TEXT NOT NULL DEFAULT '[]',
    milestone_id INTEGER REFERENCES task_milestones(id),
    due TEXT,
    on_time INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    verdict TEXT NOT NULL DEFAULT 'pending',
    reason TEXT NOT NULL DEFAULT '',
    reviewed_ms INTEGER
);
CREATE INDEX task_reports_by_task ON task_reports (task_id, id);

-- Automatic reminders (临期催办) and overdue notices (超期督办): one per clock, due date and level.
CREATE TABLE task_alerts (
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    clock TEXT NOT NULL,
    due TEXT NOT NULL,
    timing INTEGER NOT NULL,
    message TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (task_id, clock, due, timing)
);
