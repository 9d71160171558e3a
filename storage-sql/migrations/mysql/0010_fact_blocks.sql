-- Foliodesk schema 10 (MySQL/MariaDB): blocks of packed report facts, one per UTC day of
-- opening, which finished tickets' fact rows are packed into (fd_facts_live already
-- finds the earliest finished row).
CREATE TABLE fd_fact_blocks (day_micros BIGINT NOT NULL PRIMARY KEY, version BIGINT NOT NULL, body LONGBLOB NOT NULL)
    ENGINE = InnoDB;
