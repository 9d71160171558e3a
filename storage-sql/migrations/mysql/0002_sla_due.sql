-- Foliodesk schema 2: the earliest due instant of a ticket's running SLA targets, for the
-- SLA-state queues (breached, breaching soon).
ALTER TABLE fd_tickets ADD COLUMN sla_due_micros BIGINT NULL;
CREATE INDEX fd_tickets_sla_due ON fd_tickets (sla_due_micros, id);
