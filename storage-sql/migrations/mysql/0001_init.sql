-- Foliodesk schema 1 (MySQL 8 / MariaDB 10.6+). Instants are microseconds since the Unix
-- epoch (UTC); documents are the JSON the core serialises, so the SQL columns exist only to
-- be filtered, ordered and indexed on. Text compares bytewise (utf8mb4_bin), as the core
-- orders ids; ids are at most 200 bytes, which keeps composite keys under InnoDB's limit.
CREATE TABLE fd_tickets (
    id             VARCHAR(200) NOT NULL PRIMARY KEY,
    folio          VARCHAR(64)  NOT NULL UNIQUE,
    version        BIGINT       NOT NULL,
    head_hash      CHAR(64)     NOT NULL,
    kind           VARCHAR(32)  NOT NULL,
    status         VARCHAR(32)  NOT NULL,
    team           VARCHAR(200),
    assignee       VARCHAR(200),
    requester      VARCHAR(200) NOT NULL,
    organisation   VARCHAR(200),
    priority       BIGINT       NOT NULL,
    category       TEXT,
    watchers       TEXT         NOT NULL, -- '|ana|leo|', for the `involving` filter
    opened_micros  BIGINT       NOT NULL,
    updated_micros BIGINT       NOT NULL,
    due_micros     BIGINT,
    body           LONGTEXT     NOT NULL,
    INDEX fd_tickets_opened    (opened_micros, id),
    INDEX fd_tickets_status    (status, opened_micros, id),
    INDEX fd_tickets_team      (team, opened_micros, id),
    INDEX fd_tickets_assignee  (assignee, opened_micros, id),
    INDEX fd_tickets_requester (requester, opened_micros, id),
    INDEX fd_tickets_org       (organisation, opened_micros, id),
    INDEX fd_tickets_updated   (updated_micros),
    INDEX fd_tickets_due       (due_micros, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE fd_events (
    ticket_id VARCHAR(200) NOT NULL,
    seq       BIGINT       NOT NULL,
    at_micros BIGINT       NOT NULL,
    hash      CHAR(64)     NOT NULL,
    body      LONGTEXT     NOT NULL,
    PRIMARY KEY (ticket_id, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE fd_folios (
    prefix      VARCHAR(16) NOT NULL,
    folio_year  BIGINT      NOT NULL,
    last_number BIGINT      NOT NULL,
    PRIMARY KEY (prefix, folio_year)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE fd_outbox (
    id        BIGINT AUTO_INCREMENT PRIMARY KEY,
    ticket_id VARCHAR(200) NOT NULL,
    body      LONGTEXT     NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE fd_users (id VARCHAR(200) NOT NULL PRIMARY KEY, body LONGTEXT NOT NULL)
    ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE fd_organisations (id VARCHAR(200) NOT NULL PRIMARY KEY, body LONGTEXT NOT NULL)
    ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE fd_teams (id VARCHAR(200) NOT NULL PRIMARY KEY, body LONGTEXT NOT NULL)
    ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE fd_config (id BIGINT NOT NULL PRIMARY KEY, body LONGTEXT NOT NULL)
    ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
