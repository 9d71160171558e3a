-- Foliodesk schema 11 (MySQL/MariaDB): the pulse, what the dashboard counts of a live
-- fact, in columns it can GROUP BY, as SQLite and PostgreSQL have had since schema 10;
-- fd_append now writes them with the fact. Facts stored before have none, so the stored
-- facts' version is forgotten and the desk rewrites them on open.
ALTER TABLE fd_facts ADD COLUMN team VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    ADD COLUMN status VARCHAR(32) NULL, ADD COLUMN level VARCHAR(8) NULL,
    ADD COLUMN unassigned BIGINT NULL, ADD COLUMN waiting BIGINT NULL,
    ADD COLUMN breached BIGINT NULL, ADD COLUMN due_micros BIGINT NULL,
    ADD COLUMN alerted_micros BIGINT NULL;
-- In GROUP BY order after `live` (MySQL has no partial index), and covering.
CREATE INDEX fd_facts_pulse ON fd_facts (live, status, level, unassigned, waiting, breached, due_micros, alerted_micros, team);
DELETE FROM fd_meta WHERE id = 'report.facts';
DROP PROCEDURE fd_append;
DELIMITER //
CREATE PROCEDURE fd_append(
    IN p_id           VARCHAR(200) CHARACTER SET utf8mb4,
    IN p_expected     BIGINT,
    IN p_folio        VARCHAR(64)  CHARACTER SET utf8mb4,
    IN p_version      BIGINT,
    IN p_head_hash    CHAR(64)     CHARACTER SET utf8mb4,
    IN p_kind         VARCHAR(32)  CHARACTER SET utf8mb4,
    IN p_status       VARCHAR(32)  CHARACTER SET utf8mb4,
    IN p_team         VARCHAR(200) CHARACTER SET utf8mb4,
    IN p_assignee     VARCHAR(200) CHARACTER SET utf8mb4,
    IN p_requester    VARCHAR(200) CHARACTER SET utf8mb4,
    IN p_organisation VARCHAR(200) CHARACTER SET utf8mb4,
    IN p_priority     BIGINT,
    IN p_category     TEXT         CHARACTER SET utf8mb4,
    IN p_watchers     TEXT         CHARACTER SET utf8mb4,
    IN p_opened       BIGINT,
    IN p_updated      BIGINT,
    IN p_due          BIGINT,
    IN p_sla_due      BIGINT,
    IN p_body         LONGTEXT     CHARACTER SET utf8mb4,
    IN p_events       LONGTEXT     CHARACTER SET utf8mb4,
    IN p_outbox       LONGTEXT     CHARACTER SET utf8mb4,
    IN p_prefix       VARCHAR(16)  CHARACTER SET utf8mb4,
    IN p_year         BIGINT,
    IN p_number       BIGINT,
    IN p_doc          VARCHAR(210) CHARACTER SET utf8mb4,
    IN p_doc_kind     VARCHAR(8)   CHARACTER SET utf8mb4,
    IN p_doc_length   BIGINT,
    IN p_doc_attrs    LONGTEXT     CHARACTER SET utf8mb4,
    IN p_postings     LONGTEXT     CHARACTER SET utf8mb4,
    IN p_fact_opened  BIGINT,
    IN p_fact_live    BIGINT,
    IN p_fact         LONGBLOB,
    IN p_fact_team    VARCHAR(200) CHARACTER SET utf8mb4,
    IN p_fact_status  VARCHAR(32)  CHARACTER SET utf8mb4,
    IN p_fact_level   VARCHAR(8)   CHARACTER SET utf8mb4,
    IN p_unassigned   BIGINT,
    IN p_waiting      BIGINT,
    IN p_breached     BIGINT,
    IN p_fact_due     BIGINT,
    IN p_alerted      BIGINT)
BEGIN
    IF p_number IS NOT NULL THEN
        START TRANSACTION;
        UPDATE fd_folios SET last_number = p_number
        WHERE prefix = p_prefix AND folio_year = p_year AND last_number = p_number - 1;
        IF ROW_COUNT() <> 1 THEN
            ROLLBACK;
            SIGNAL SQLSTATE 'ZF001'
                SET MESSAGE_TEXT = 'fd_append: the folio counter moved; draw under lock';
        END IF;
    END IF;
    IF p_expected = 0 THEN
        INSERT INTO fd_tickets (id, folio, version, head_hash, kind, status, team, assignee,
            requester, organisation, priority, category, watchers, opened_micros,
            updated_micros, due_micros, sla_due_micros, body)
        VALUES (p_id, p_folio, p_version, p_head_hash, p_kind, p_status, p_team, p_assignee,
            p_requester, p_organisation, p_priority, p_category, p_watchers, p_opened,
            p_updated, p_due, p_sla_due, p_body);
    ELSE
        UPDATE fd_tickets SET version = p_version, head_hash = p_head_hash, kind = p_kind,
            status = p_status, team = p_team, assignee = p_assignee, requester = p_requester,
            organisation = p_organisation, priority = p_priority, category = p_category,
            watchers = p_watchers, opened_micros = p_opened, updated_micros = p_updated,
            due_micros = p_due, sla_due_micros = p_sla_due, body = p_body
        WHERE id = p_id AND version = p_expected;
        IF ROW_COUNT() <> 1 THEN
            SIGNAL SQLSTATE '40001'
                SET MESSAGE_TEXT = 'fd_append: the ticket is no longer at the expected version';
        END IF;
    END IF;
    INSERT INTO fd_events (ticket_id, seq, at_micros, hash, body)
        SELECT p_id, e.seq, e.at_micros, e.hash, e.body
        FROM JSON_TABLE(p_events, '$[*]' COLUMNS (
            n         FOR ORDINALITY,
            seq       BIGINT                            PATH '$[0]',
            at_micros BIGINT                            PATH '$[1]',
            hash      VARCHAR(64) CHARACTER SET utf8mb4 PATH '$[2]',
            body      LONGTEXT    CHARACTER SET utf8mb4 PATH '$[3]')) AS e
        ORDER BY e.n;
    INSERT INTO fd_outbox (ticket_id, body, available_us)
        SELECT p_id, o.body, o.available_us
        FROM JSON_TABLE(p_outbox, '$[*]' COLUMNS (
            n            FOR ORDINALITY,
            body         LONGTEXT CHARACTER SET utf8mb4 PATH '$[0]',
            available_us BIGINT                         PATH '$[1]')) AS o
        ORDER BY o.n;
    IF p_doc IS NOT NULL AND p_doc_length IS NULL THEN
        UPDATE fd_search_docs SET attrs = p_doc_attrs WHERE doc = p_doc;
    ELSEIF p_doc IS NOT NULL THEN
        -- A new ticket has no document yet, and deleting nothing would still take gap
        -- locks that deadlock against concurrent appends.
        IF p_expected > 0 THEN
            DELETE FROM fd_postings WHERE doc = p_doc;
            DELETE FROM fd_search_docs WHERE doc = p_doc;
        END IF;
        INSERT INTO fd_search_docs (doc, kind, length, attrs)
            VALUES (p_doc, p_doc_kind, p_doc_length, p_doc_attrs);
        INSERT INTO fd_postings (kind, term, doc, tf, length)
            SELECT p_doc_kind, j.term, p_doc, j.tf, p_doc_length
            FROM JSON_TABLE(p_postings, '$[*]' COLUMNS (
                term VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[0]',
                tf   BIGINT                                                PATH '$[1]')) AS j;
    END IF;
    IF p_fact IS NOT NULL THEN
        INSERT INTO fd_facts (opened_micros, ticket_id, live, body, team, status, level,
            unassigned, waiting, breached, due_micros, alerted_micros)
            VALUES (p_fact_opened, p_id, p_fact_live, p_fact, p_fact_team, p_fact_status,
                p_fact_level, p_unassigned, p_waiting, p_breached, p_fact_due, p_alerted)
            ON DUPLICATE KEY UPDATE live = VALUES(live), body = VALUES(body),
                team = VALUES(team), status = VALUES(status), level = VALUES(level),
                unassigned = VALUES(unassigned), waiting = VALUES(waiting),
                breached = VALUES(breached), due_micros = VALUES(due_micros),
                alerted_micros = VALUES(alerted_micros);
    END IF;
    COMMIT;
END //
DELIMITER ;
