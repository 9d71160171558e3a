-- Foliodesk schema 1 (PostgreSQL). Instants are microseconds since the Unix epoch (UTC);
-- documents are the JSON the core serialises, so the SQL columns exist only to be filtered,
-- ordered and indexed on. Text compares bytewise (COLLATE "C"), as the core orders ids.
CREATE TABLE fd_tickets (
    id             TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    folio          TEXT COLLATE "C" NOT NULL UNIQUE,
    version        BIGINT NOT NULL,
    head_hash      TEXT   NOT NULL,
    kind           TEXT COLLATE "C" NOT NULL,
    status         TEXT COLLATE "C" NOT NULL,
    team           TEXT COLLATE "C",
    assignee       TEXT COLLATE "C",
    requester      TEXT COLLATE "C" NOT NULL,
    organisation   TEXT COLLATE "C",
    priority       BIGINT NOT NULL,
    category       TEXT COLLATE "C",
    watchers       TEXT COLLATE "C" NOT NULL, -- '|ana|leo|', for the `involving` filter
    opened_micros  BIGINT NOT NULL,
    updated_micros BIGINT NOT NULL,
    due_micros     BIGINT,
    body           TEXT   NOT NULL
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
    ticket_id TEXT COLLATE "C" NOT NULL,
    seq       BIGINT NOT NULL,
    at_micros BIGINT NOT NULL,
    hash      TEXT   NOT NULL,
    body      TEXT   NOT NULL,
    PRIMARY KEY (ticket_id, seq)
);

CREATE TABLE fd_folios (
    prefix      TEXT COLLATE "C" NOT NULL,
    folio_year  BIGINT NOT NULL,
    last_number BIGINT NOT NULL,
    PRIMARY KEY (prefix, folio_year)
);

CREATE TABLE fd_outbox (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id TEXT COLLATE "C" NOT NULL,
    body      TEXT NOT NULL
);

CREATE TABLE fd_users         (id TEXT COLLATE "C" NOT NULL PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE fd_organisations (id TEXT COLLATE "C" NOT NULL PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE fd_teams         (id TEXT COLLATE "C" NOT NULL PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE fd_config        (id BIGINT NOT NULL PRIMARY KEY, body TEXT NOT NULL);
