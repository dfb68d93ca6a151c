-- jiesu schema, version 30 (PostgreSQL): events of one action in time order, e.g.
-- the automatic dispatches (自动派单) since a model was activated, for its live figures.
CREATE INDEX events_action_at ON events (action, at_ms);
