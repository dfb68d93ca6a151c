-- jiesu schema, version 2 (PostgreSQL): deadlines, supervision flags and notifications.
ALTER TABLE appeals ADD COLUMN warn_ms BIGINT;
ALTER TABLE appeals ADD COLUMN due_ms BIGINT;
ALTER TABLE appeals ADD COLUMN frozen_state TEXT;
ALTER TABLE appeals ADD COLUMN next_check_ms BIGINT;
ALTER TABLE appeals ADD COLUMN flagged BIGINT NOT NULL DEFAULT 0;
CREATE INDEX appeals_next_check ON appeals (next_check_ms) WHERE next_check_ms IS NOT NULL;
CREATE INDEX appeals_due ON appeals (due_ms) WHERE due_ms IS NOT NULL;
CREATE INDEX appeals_warn ON appeals (warn_ms) WHERE warn_ms IS NOT NULL;

CREATE TABLE notifications (
    id BIGSERIAL PRIMARY KEY,
    appeal_id BIGINT NOT NULL REFERENCES appeals(id),
    body_id BIGINT,
    role TEXT,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    webhook_state BIGINT NOT NULL DEFAULT 0,
    webhook_attempts BIGINT NOT NULL DEFAULT 0,
    webhook_next_ms BIGINT NOT NULL DEFAULT 0,
    webhook_claim TEXT,
    webhook_claim_ms BIGINT
);
CREATE INDEX notifications_body ON notifications (body_id, created_ms);
CREATE INDEX notifications_role ON notifications (role, created_ms);
CREATE INDEX notifications_webhook ON notifications (webhook_state, webhook_next_ms);

CREATE TABLE notification_reads (
    notification_id BIGINT NOT NULL REFERENCES notifications(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (notification_id, user_id)
);
