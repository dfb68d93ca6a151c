-- A stamp that every change of a setting (time limits, calendar, taxonomy, routing,
-- escalation), of the bodies or of the active model moves forward in the same transaction:
-- each server compares it with the one it loaded and reloads when it moved.
CREATE TABLE settings_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO settings_version (id, version) VALUES (1, 1);
