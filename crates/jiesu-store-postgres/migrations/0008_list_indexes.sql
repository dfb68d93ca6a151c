-- jiesu schema, version 8 (PostgreSQL): indexes for the lists staff filter by.
CREATE INDEX appeals_flagged ON appeals (created_ms) WHERE flagged = 1;
CREATE INDEX appeals_frozen ON appeals (frozen_state) WHERE frozen_state IS NOT NULL;
CREATE INDEX appeals_type_created ON appeals (appeal_type, created_ms);
CREATE INDEX appeals_channel_created ON appeals (channel, created_ms);
CREATE INDEX appeals_lead_status ON appeals (lead_body_id, status);
