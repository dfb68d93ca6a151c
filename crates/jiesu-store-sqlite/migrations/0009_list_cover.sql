-- jiesu schema, version 9 (SQLite): narrow indexes that hold every column a list filters on,
-- in the lists' order (newest first), so a list or a count walks an index instead of the
-- wide rows and reads a row only for the appeals it shows. Open appeals with a deadline
-- have their own (临期 / 超期 lists); the single-column indexes they replace are dropped.
CREATE INDEX appeals_list ON appeals (created_ms, id, status, channel, appeal_type, category_l1,
    lead_body_id, district, flagged);
CREATE INDEX appeals_open ON appeals (created_ms, id, status, channel, appeal_type, category_l1,
    lead_body_id, district, flagged, warn_ms, due_ms, frozen_state)
    WHERE due_ms IS NOT NULL OR frozen_state IS NOT NULL;
DROP INDEX appeals_created;
DROP INDEX appeals_type_created;
DROP INDEX appeals_channel_created;
DROP INDEX appeals_warn;
DROP INDEX appeals_due;
DROP INDEX appeals_frozen;
