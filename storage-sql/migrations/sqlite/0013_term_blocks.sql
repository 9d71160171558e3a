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
-- Each kind's document count and summed length, which every search's BM25 needs: kept by
-- triggers, where counting 100,000 rows took a search 6 ms.
CREATE TABLE fd_search_stats (kind TEXT NOT NULL PRIMARY KEY, documents BIGINT NOT NULL, total BIGINT NOT NULL);
INSERT INTO fd_search_stats (kind, documents, total) SELECT kind, COUNT(*), SUM(length) FROM fd_search_docs GROUP BY kind;
DELIMITER $$
CREATE TRIGGER fd_search_docs_added AFTER INSERT ON fd_search_docs BEGIN
  INSERT OR IGNORE INTO fd_search_stats (kind, documents, total) VALUES (new.kind, 0, 0);
  UPDATE fd_search_stats SET documents = documents + 1, total = total + new.length WHERE kind = new.kind;
END$$
CREATE TRIGGER fd_search_docs_removed AFTER DELETE ON fd_search_docs BEGIN
  UPDATE fd_search_stats SET documents = documents - 1, total = total - old.length WHERE kind = old.kind;
END$$
CREATE TRIGGER fd_search_docs_resized AFTER UPDATE OF length ON fd_search_docs BEGIN
  UPDATE fd_search_stats SET total = total - old.length + new.length WHERE kind = new.kind;
END$$
