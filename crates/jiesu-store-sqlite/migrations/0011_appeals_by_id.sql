-- jiesu schema, version 11 (SQLite): a narrow index keyed by id with the columns a list sorts
-- and filters on. A body's list (承办单位的诉求) finds its appeals' ids through
-- `appeal_bodies` and must sort them by `created_ms`: read from the wide rows, that cost a
-- page per appeal (a busy body has thousands); read from here, a few pages in all. SQLite's
-- planner never picks an index for a rowid lookup by itself, so those lists name it
-- (`INDEXED BY`, see `SqliteStore::appeals_of_bodies`).
CREATE INDEX appeals_by_id ON appeals (id, created_ms, status, channel, appeal_type, category_l1,
    flagged);
