-- Foliodesk schema 7: contact records (calls, chats), one row per contact id, read by
-- start time for the reports' answer times and abandonment.
CREATE TABLE fd_contacts (id TEXT NOT NULL PRIMARY KEY, started_at BIGINT NOT NULL, body TEXT NOT NULL);
CREATE INDEX fd_contacts_started ON fd_contacts (started_at, id);
