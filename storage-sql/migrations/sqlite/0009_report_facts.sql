-- Foliodesk schema 9 (SQLite): report facts, one row per ticket written with its appends;
-- reports read them by opening instant, the dashboard only the live ones (a covering
-- partial index, so it never touches closed history).
CREATE TABLE fd_facts (
    opened_micros INTEGER NOT NULL,
    ticket_id     TEXT    NOT NULL,
    live          INTEGER NOT NULL,
    body          BLOB    NOT NULL,
    PRIMARY KEY (opened_micros, ticket_id)
) WITHOUT ROWID;
CREATE INDEX fd_facts_live ON fd_facts (opened_micros, ticket_id, body) WHERE live = 1;
