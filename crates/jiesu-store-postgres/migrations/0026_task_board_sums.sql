-- jiesu schema, version 26 (PostgreSQL).
-- The board's per-body sums (督查看板汇总), kept by triggers in the same transaction as every
-- change to a task or to its lead bodies, so the board reads one row per (body, document)
-- instead of joining every live task per request.
CREATE TABLE task_board_sums (
    body_id BIGINT NOT NULL,
    document TEXT NOT NULL,
    tasks BIGINT NOT NULL DEFAULT 0,
    done BIGINT NOT NULL DEFAULT 0,
    closed BIGINT NOT NULL DEFAULT 0,
    due_soon BIGINT NOT NULL DEFAULT 0,
    late BIGINT NOT NULL DEFAULT 0,
    done_on_time BIGINT NOT NULL DEFAULT 0,
    reports BIGINT NOT NULL DEFAULT 0,
    reports_on_time BIGINT NOT NULL DEFAULT 0,
    milestones_done BIGINT NOT NULL DEFAULT 0,
    milestones_on_time BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (body_id, document)
);

INSERT INTO task_board_sums (body_id, document, tasks, done, closed, due_soon, late, done_on_time, reports, reports_on_time, milestones_done, milestones_on_time)
SELECT tb.body_id, t.document,
    COUNT(*),
    COUNT(CASE WHEN t.done_ms IS NOT NULL OR t.closed_ms IS NOT NULL THEN 1 END),
    COUNT(CASE WHEN t.closed_ms IS NOT NULL THEN 1 END),
    COUNT(CASE WHEN t.done_ms IS NULL AND t.closed_ms IS NULL AND t.timing = 1 THEN 1 END),
    COUNT(CASE WHEN t.done_ms IS NULL AND t.closed_ms IS NULL AND t.timing = 2 THEN 1 END),
    COUNT(CASE WHEN t.done_on_time = 1 THEN 1 END),
    COALESCE(SUM(t.reports), 0), COALESCE(SUM(t.reports_on_time), 0), COALESCE(SUM(t.milestones_done), 0), COALESCE(SUM(t.milestones_on_time), 0)
FROM task_bodies tb JOIN tasks t ON t.id = tb.task_id
WHERE tb.lead = 1 AND t.published_ms IS NOT NULL
GROUP BY tb.body_id, t.document;

CREATE FUNCTION task_board_sums_task() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO task_board_sums (body_id, document, tasks, done, closed, due_soon, late, done_on_time, reports, reports_on_time, milestones_done, milestones_on_time)
    SELECT tb.body_id, OLD.document,
        -1,
        -(CASE WHEN OLD.done_ms IS NOT NULL OR OLD.closed_ms IS NOT NULL THEN 1 ELSE 0 END),
        -(CASE WHEN OLD.closed_ms IS NOT NULL THEN 1 ELSE 0 END),
        -(CASE WHEN OLD.done_ms IS NULL AND OLD.closed_ms IS NULL AND OLD.timing = 1 THEN 1 ELSE 0 END),
        -(CASE WHEN OLD.done_ms IS NULL AND OLD.closed_ms IS NULL AND OLD.timing = 2 THEN 1 ELSE 0 END),
        -(CASE WHEN OLD.done_on_time = 1 THEN 1 ELSE 0 END),
        -OLD.reports,
        -OLD.reports_on_time,
        -OLD.milestones_done,
        -OLD.milestones_on_time
    FROM task_bodies tb WHERE tb.task_id = OLD.id AND tb.lead = 1 AND OLD.published_ms IS NOT NULL
    ON CONFLICT (body_id, document) DO UPDATE SET
        tasks = task_board_sums.tasks + excluded.tasks,
        done = task_board_sums.done + excluded.done,
        closed = task_board_sums.closed + excluded.closed,
        due_soon = task_board_sums.due_soon + excluded.due_soon,
        late = task_board_sums.late + excluded.late,
        done_on_time = task_board_sums.done_on_time + excluded.done_on_time,
        reports = task_board_sums.reports + excluded.reports,
        reports_on_time = task_board_sums.reports_on_time + excluded.reports_on_time,
        milestones_done = task_board_sums.milestones_done + excluded.milestones_done,
        milestones_on_time = task_board_sums.milestones_on_time + excluded.milestones_on_time;
    INSERT INTO task_board_sums (body_id, document, tasks, done, closed, due_soon, late, done_on_time, reports, reports_on_time, milestones_done, milestones_on_time)
    SELECT tb.body_id, NEW.document,
        1,
        (CASE WHEN NEW.done_ms IS NOT NULL OR NEW.closed_ms IS NOT NULL THEN 1 ELSE 0 END),
        (CASE WHEN NEW.closed_ms IS NOT NULL THEN 1 ELSE 0 END),
        (CASE WHEN NEW.done_ms IS NULL AND NEW.closed_ms IS NULL AND NEW.timing = 1 THEN 1 ELSE 0 END),
        (CASE WHEN NEW.done_ms IS NULL AND NEW.closed_ms IS NULL AND NEW.timing = 2 THEN 1 ELSE 0 END),
        (CASE WHEN NEW.done_on_time = 1 THEN 1 ELSE 0 END),
        NEW.reports,
        NEW.reports_on_time,
        NEW.milestones_done,
        NEW.milestones_on_time
    FROM task_bodies tb WHERE tb.task_id = NEW.id AND tb.lead = 1 AND NEW.published_ms IS NOT NULL
    ON CONFLICT (body_id, document) DO UPDATE SET
        tasks = task_board_sums.tasks + excluded.tasks,
        done = task_board_sums.done + excluded.done,
        closed = task_board_sums.closed + excluded.closed,
        due_soon = task_board_sums.due_soon + excluded.due_soon,
        late = task_board_sums.late + excluded.late,
        done_on_time = task_board_sums.done_on_time + excluded.done_on_time,
        reports = task_board_sums.reports + excluded.reports,
        reports_on_time = task_board_sums.reports_on_time + excluded.reports_on_time,
        milestones_done = task_board_sums.milestones_done + excluded.milestones_done,
        milestones_on_time = task_board_sums.milestones_on_time + excluded.milestones_on_time;
    RETURN NULL;
END;
$$;
CREATE TRIGGER task_board_sums_task AFTER UPDATE ON tasks
FOR EACH ROW WHEN ((OLD.published_ms IS NOT NULL OR NEW.published_ms IS NOT NULL)
    AND (OLD.published_ms IS DISTINCT FROM NEW.published_ms OR OLD.done_ms IS DISTINCT FROM NEW.done_ms OR OLD.closed_ms IS DISTINCT FROM NEW.closed_ms OR OLD.timing IS DISTINCT FROM NEW.timing OR OLD.done_on_time IS DISTINCT FROM NEW.done_on_time OR OLD.reports IS DISTINCT FROM NEW.reports OR OLD.reports_on_time IS DISTINCT FROM NEW.reports_on_time OR OLD.milestones_done IS DISTINCT FROM NEW.milestones_done OR OLD.milestones_on_time IS DISTINCT FROM NEW.milestones_on_time OR OLD.document IS DISTINCT FROM NEW.document))
EXECUTE FUNCTION task_board_sums_task();

CREATE FUNCTION task_board_sums_lead() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO task_board_sums (body_id, document, tasks, done, closed, due_soon, late, done_on_time, reports, reports_on_time, milestones_done, milestones_on_time)
    SELECT tb.body_id, t.document,
        1,
        (CASE WHEN t.done_ms IS NOT NULL OR t.closed_ms IS NOT NULL THEN 1 ELSE 0 END),
        (CASE WHEN t.closed_ms IS NOT NULL THEN 1 ELSE 0 END),
        (CASE WHEN t.done_ms IS NULL AND t.closed_ms IS NULL AND t.timing = 1 THEN 1 ELSE 0 END),
        (CASE WHEN t.done_ms IS NULL AND t.closed_ms IS NULL AND t.timing = 2 THEN 1 ELSE 0 END),
        (CASE WHEN t.done_on_time = 1 THEN 1 ELSE 0 END),
        t.reports,
        t.reports_on_time,
        t.milestones_done,
        t.milestones_on_time
    FROM tasks t, task_bodies tb WHERE t.id = NEW.task_id AND tb.task_id = NEW.task_id AND tb.body_id = NEW.body_id AND tb.lead = 1 AND t.published_ms IS NOT NULL
    ON CONFLICT (body_id, document) DO UPDATE SET
        tasks = task_board_sums.tasks + excluded.tasks,
        done = task_board_sums.done + excluded.done,
        closed = task_board_sums.closed + excluded.closed,
        due_soon = task_board_sums.due_soon + excluded.due_soon,
        late = task_board_sums.late + excluded.late,
        done_on_time = task_board_sums.done_on_time + excluded.done_on_time,
        reports = task_board_sums.reports + excluded.reports,
        reports_on_time = task_board_sums.reports_on_time + excluded.reports_on_time,
        milestones_done = task_board_sums.milestones_done + excluded.milestones_done,
        milestones_on_time = task_board_sums.milestones_on_time + excluded.milestones_on_time;
    RETURN NULL;
END;
$$;
CREATE TRIGGER task_board_sums_lead AFTER INSERT ON task_bodies
FOR EACH ROW WHEN (NEW.lead = 1)
EXECUTE FUNCTION task_board_sums_lead();

-- The scanner's next check (下次检查日) of each task: the first day its timing or alerts may
-- change, '' when it must be judged at the next pass (new, reported, milestone changed). A
-- pass reads only the open live tasks whose day has come.
ALTER TABLE tasks ADD COLUMN next_check TEXT NOT NULL DEFAULT '';
CREATE INDEX tasks_next_check ON tasks (next_check, id)
    WHERE published_ms IS NOT NULL AND closed_ms IS NULL AND done_ms IS NULL;
