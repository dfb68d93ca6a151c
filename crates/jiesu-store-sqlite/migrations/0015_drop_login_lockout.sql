-- Failed sign-ins are throttled per (username, client address) at the edge; no account is
-- locked any more, so the per-user counters of migration 0004 go.
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until_ms;
