-- Foliodesk schema 10: blocks of packed report facts, one per UTC day of opening, which
-- finished tickets' fact rows are packed into; and the index packing finds the earliest
-- finished row by.
CREATE TABLE fd_fact_blocks (
    day_micros BIGINT NOT NULL PRIMARY KEY,
    version    BIGINT NOT NULL,
    body       BYTEA  NOT NULL
);
CREATE INDEX fd_facts_done ON fd_facts (opened_micros) WHERE live = 0;
-- Blocks come compressed (LZ4): PostgreSQL need not compress them again.
ALTER TABLE fd_fact_blocks ALTER COLUMN body SET STORAGE EXTERNAL;
