-- jiesu schema, version 32 (SQLite): when each model version was last activated (启用), so
-- a model's live figures count its automatic dispatches since then. The model active at the
-- upgrade is taken as active since it was stored.
ALTER TABLE models ADD COLUMN activated_ms INTEGER;
UPDATE models SET activated_ms = created_ms WHERE active = 1;
