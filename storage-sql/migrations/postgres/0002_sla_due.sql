-- Foliodesk schema 2: the earliest due instant of a ticket's running SLA targets, for the
-- SLA-state queues (breached, breaching soon). Only tickets with a running clock are indexed,
-- in the queues' keyset order, so the queue walks them oldest first without a sort.
ALTER TABLE fd_tickets ADD COLUMN sla_due_micros BIGINT;
CREATE INDEX fd_tickets_sla_due ON fd_tickets (opened_micros, id, sla_due_micros)
    WHERE sla_due_micros IS NOT NULL;
