-- Foliodesk schema 12 (SQLite): new and changed documents' postings wait here, in document
-- order, until enough have gathered to move into fd_postings in term order (see the store's
-- `buffer` module). A document's postings are in one of the two tables, never both.
CREATE TABLE fd_postings_pending (doc TEXT NOT NULL, term TEXT NOT NULL, kind TEXT NOT NULL, tf BIGINT NOT NULL, length BIGINT NOT NULL, PRIMARY KEY (doc, term)) WITHOUT ROWID;
