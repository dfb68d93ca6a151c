-- jiesu schema, version 5 (PostgreSQL): the change feed derived stores (the search index) follow.
CREATE INDEX appeals_updated ON appeals (updated_ms, id);
