-- jiesu schema, version 6 (PostgreSQL): the knowledge base (知识库).
CREATE TABLE articles (
    id BIGSERIAL PRIMARY KEY,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    category TEXT,
    valid_from TEXT,
    valid_to TEXT,
    source TEXT NOT NULL DEFAULT '',
    updated_ms BIGINT NOT NULL
);
