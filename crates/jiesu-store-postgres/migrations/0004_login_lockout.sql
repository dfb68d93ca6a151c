-- jiesu schema, version 4 (PostgreSQL): failed sign-ins and temporary lock-out per user.
ALTER TABLE users ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until_ms BIGINT NOT NULL DEFAULT 0;
