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
-- The pulse: what the dashboard counts of a live fact, in columns it can GROUP BY (the
-- desk rewrites every fact on open, FACTS_VERSION 2, so none is left without them).
ALTER TABLE fd_facts
    ADD COLUMN team           TEXT COLLATE "C",
    ADD COLUMN status         TEXT,
    ADD COLUMN level          TEXT,
    ADD COLUMN unassigned     BIGINT,
    ADD COLUMN waiting        BIGINT,
    ADD COLUMN breached       BIGINT,
    ADD COLUMN due_micros     BIGINT,
    ADD COLUMN alerted_micros BIGINT;
-- In GROUP BY order and covering: an index-only scan once vacuum has marked the pages.
CREATE INDEX fd_facts_pulse ON fd_facts (status, level, unassigned, waiting, breached, due_micros, alerted_micros, team) WHERE live = 1;
