-- Foliodesk schema 1 (SQLite). Instants are microseconds since the Unix epoch (UTC);
-- documents are the JSON the core serialises, so the SQL columns exist only to be filtered,
-- ordered and indexed on.
CREATE TABLE fd_tickets (
    id             TEXT    NOT NULL PRIMARY KEY,
    folio          TEXT    NOT NULL UNIQUE,
    version        INTEGER NOT NULL,
    head_hash      TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    team           TEXT,
    assignee       TEXT,
    requester      TEXT    NOT NULL,
    organisation   TEXT,
    priority       INTEGER NOT NULL,
    category       TEXT,
    watchers       TEXT    NOT NULL, -- '|ana|leo|', for the `involving` filter
    opened_micros  INTEGER NOT NULL,
    updated_micros INTEGER NOT NULL,
    due_micros     INTEGER,
    body           TEXT    NOT NULL
);
CREATE INDEX fd_tickets_opened    ON fd_tickets (opened_micros, id);
CREATE INDEX fd_tickets_status    ON fd_tickets (status, opened_micros, id);
CREATE INDEX fd_tickets_team      ON fd_tickets (team, opened_micros, id);
CREATE INDEX fd_tickets_assignee  ON fd_tickets (assignee, opened_micros, id);
CREATE INDEX fd_tickets_requester ON fd_tickets (requester, opened_micros, id);
CREATE INDEX fd_tickets_org       ON fd_tickets (organisation, opened_micros, id);
CREATE INDEX fd_tickets_updated   ON fd_tickets (updated_micros);
CREATE INDEX fd_tickets_due       ON fd_tickets (due_micros, id) WHERE due_micros IS NOT NULL;

CREATE TABLE fd_events (
    ticket_id TEXT    NOT NULL,
    seq       INTEGER NOT NULL,
    at_micros INTEGER NOT NULL,
    hash      TEXT    NOT NULL,
    body      TEXT    NOT NULL,
    PRIMARY KEY (ticket_id, seq)
) WITHOUT ROWID;

CREATE TABLE fd_folios (
    prefix      TEXT    NOT NULL,
    folio_year  INTEGER NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (prefix, folio_year)
) WITHOUT ROWID;

CREATE TABLE fd_outbox (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id TEXT NOT NULL,
    body      TEXT NOT NULL
);

CREATE TABLE fd_users         (id TEXT NOT NULL PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE fd_organisations (id TEXT NOT NULL PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE fd_teams         (id TEXT NOT NULL PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE fd_config        (id INTEGER NOT NULL PRIMARY KEY, body TEXT NOT NULL);
