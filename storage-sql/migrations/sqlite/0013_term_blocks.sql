-- Foliodesk schema 13 (SQLite): a term's postings packed in blocks (see the store's `block`
-- and `merge` modules) instead of a row each, so a search reads a few rows per term and
-- scores them in Rust. Each block holds up to 128 postings in the order documents were
-- first packed (`fd_packed_docs.seq`); `first` is its first posting's seq.
-- fd_packed_docs lists the terms each document has in the blocks, so the merge knows which
-- blocks a changed document must leave. Every document with postings pending has a marker
-- row (term '') there: its postings in the blocks, if any, are out of date.
CREATE TABLE fd_term_blocks (kind TEXT NOT NULL, term TEXT NOT NULL, first BIGINT NOT NULL, data BLOB NOT NULL);
CREATE UNIQUE INDEX fd_term_blocks_key ON fd_term_blocks (kind, term, first);
CREATE TABLE fd_packed_docs (seq INTEGER PRIMARY KEY, doc TEXT NOT NULL UNIQUE, terms TEXT NOT NULL);
-- What fd_postings held waits to be packed with the pending postings.
INSERT OR IGNORE INTO fd_postings_pending (doc, term, kind, tf, length) SELECT doc, term, kind, tf, length FROM fd_postings;
INSERT OR IGNORE INTO fd_postings_pending (doc, term, kind, tf, length) SELECT doc, '', kind, 0, length FROM fd_search_docs;
DROP TABLE fd_postings;
