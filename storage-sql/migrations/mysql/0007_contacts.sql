-- Foliodesk schema 7 (MySQL/MariaDB): contact records (calls, chats), one row per contact
-- id, read by start time for the reports' answer times and abandonment.
CREATE TABLE fd_contacts (id VARCHAR(200) NOT NULL PRIMARY KEY, started_at BIGINT NOT NULL, body LONGTEXT NOT NULL)
    ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX fd_contacts_started ON fd_contacts (started_at, id);
