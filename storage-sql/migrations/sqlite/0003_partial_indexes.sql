-- Foliodesk schema 3: the team, assignee and organisation queues index only the tickets that
-- have one. A new ticket is usually unassigned and often has no organisation; entries for
-- NULL were never read (those filters compare with `=`, which implies IS NOT NULL), yet
-- every one cost a B-tree page written per commit.
DROP INDEX fd_tickets_team;
DROP INDEX fd_tickets_assignee;
DROP INDEX fd_tickets_org;
CREATE INDEX fd_tickets_team     ON fd_tickets (team, opened_micros, id) WHERE team IS NOT NULL;
CREATE INDEX fd_tickets_assignee ON fd_tickets (assignee, opened_micros, id) WHERE assignee IS NOT NULL;
CREATE INDEX fd_tickets_org      ON fd_tickets (organisation, opened_micros, id) WHERE organisation IS NOT NULL;
