-- jiesu schema, version 33 (PostgreSQL): the answers each campaign group was given (答复记录),
-- oldest first: a corrected answer (更正答复) replaces the group's own columns, and every
-- answer stays here with who gave it, when, and the task it left live. Answers given before
-- this version are carried over with no name (not recorded then).
CREATE TABLE campaign_group_answers (
    id BIGSERIAL PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES campaign_groups (id) ON DELETE CASCADE,
    outcome TEXT NOT NULL,
    reply TEXT NOT NULL,
    task_id BIGINT,
    answered_by TEXT NOT NULL,
    answered_ms BIGINT NOT NULL
);
CREATE INDEX campaign_group_answers_by_group ON campaign_group_answers (group_id, id);
INSERT INTO campaign_group_answers (group_id, outcome, reply, task_id, answered_by, answered_ms)
SELECT id, outcome, reply, task_id, '', answered_ms FROM campaign_groups
WHERE outcome IS NOT NULL AND answered_ms IS NOT NULL ORDER BY id;
