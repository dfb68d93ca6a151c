-- jiesu schema, version 11 (PostgreSQL): less to write for each event and each notice, which the
-- deadline scanner records by the thousand. `events_at` was never read (events are read by
-- appeal). A notice goes to a body or to a role, never both, so each inbox index holds only
-- the notices it can find, in the inbox's order (newest first by id).
DROP INDEX events_at;
DROP INDEX notifications_body;
DROP INDEX notifications_role;
CREATE INDEX notifications_body ON notifications (body_id, id) WHERE body_id IS NOT NULL;
CREATE INDEX notifications_role ON notifications (role, id) WHERE role IS NOT NULL;
