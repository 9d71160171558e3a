-- Foliodesk schema 5: the outbox becomes a work queue. Each row keeps when it may be
-- delivered (its coalescing window, then each retry's time), failed attempts, the lease of
-- the worker holding it, and the dead-letter reason. Rows written before schema 5 name
-- their recipients in a form nothing reads any more and were never deliverable: dropped.
DELETE FROM fd_outbox;
ALTER TABLE fd_outbox ADD COLUMN available_us   BIGINT NOT NULL DEFAULT 0;
ALTER TABLE fd_outbox ADD COLUMN attempts       BIGINT NOT NULL DEFAULT 0;
ALTER TABLE fd_outbox ADD COLUMN lease_until_us BIGINT;
ALTER TABLE fd_outbox ADD COLUMN lease_token    VARCHAR(200);
ALTER TABLE fd_outbox ADD COLUMN dead_reason    TEXT;
CREATE INDEX fd_outbox_ticket ON fd_outbox (ticket_id, id);
CREATE INDEX fd_outbox_token ON fd_outbox (lease_token);
