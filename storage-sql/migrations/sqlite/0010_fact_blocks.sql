-- Foliodesk schema 10 (SQLite): blocks of packed report facts, one per UTC day of
-- opening, which finished tickets' fact rows are packed into; and the index packing
-- finds the earliest finished row by.
CREATE TABLE fd_fact_blocks (
    day_micros INTEGER NOT NULL PRIMARY KEY,
    version    INTEGER NOT NULL,
    body       BLOB    NOT NULL
);
CREATE INDEX fd_facts_done ON fd_facts (opened_micros) WHERE live = 0;
