-- Foliodesk schema 10 (SQLite): blocks of packed report facts, one per UTC day of
-- opening, which finished tickets' fact rows are packed into; and the index packing
-- finds the earliest finished row by.
CREATE TABLE fd_fact_blocks (
    day_micros INTEGER NOT NULL PRIMARY KEY,
    version    INTEGER NOT NULL,
    body       BLOB    NOT NULL
);
CREATE INDEX fd_facts_done ON fd_facts (opened_micros) WHERE live = 0;
-- The pulse: what the dashboard counts of a live fact, in columns it can GROUP BY (the
-- desk rewrites every fact on open, FACTS_VERSION 2, so none is left without them).
ALTER TABLE fd_facts ADD COLUMN team TEXT;
ALTER TABLE fd_facts ADD COLUMN status TEXT;
ALTER TABLE fd_facts ADD COLUMN level TEXT;
ALTER TABLE fd_facts ADD COLUMN unassigned INTEGER;
ALTER TABLE fd_facts ADD COLUMN waiting INTEGER;
ALTER TABLE fd_facts ADD COLUMN breached INTEGER;
ALTER TABLE fd_facts ADD COLUMN due_micros INTEGER;
ALTER TABLE fd_facts ADD COLUMN alerted_micros INTEGER;
-- In GROUP BY order, and covering (with `live`, which SQLite needs named to cover).
CREATE INDEX fd_facts_pulse ON fd_facts (status, level, unassigned, waiting, breached, due_micros, alerted_micros, team, live) WHERE live = 1;
