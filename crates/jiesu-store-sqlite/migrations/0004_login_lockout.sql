-- jiesu schema, version 4 (SQLite): failed sign-ins and temporary lock-out per user.
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until_ms INTEGER NOT NULL DEFAULT 0;
