-- Foliodesk schema 9: report facts, one row per ticket written with its appends; reports
-- read them by opening instant, the dashboard only the live ones (a partial index).
CREATE TABLE fd_facts (
    opened_micros BIGINT     NOT NULL,
    ticket_id     TEXT COLLATE "C" NOT NULL,
    live          BIGINT     NOT NULL,
    body          BYTEA      NOT NULL,
    PRIMARY KEY (opened_micros, ticket_id)
);
CREATE INDEX fd_facts_live ON fd_facts (opened_micros, ticket_id) INCLUDE (body) WHERE live = 1;
