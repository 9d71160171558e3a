-- Foliodesk schema 8: knowledge-base articles, and the search index every backend keeps
-- alike: a row per document (its length and the attributes searches filter on) and a
-- posting per (kind, term, document) with the document's length (ranking reads postings alone). Terms are the core's analysis, compared bytewise.
CREATE TABLE fd_articles (id TEXT COLLATE "C" NOT NULL PRIMARY KEY, revision BIGINT NOT NULL, body TEXT NOT NULL);
CREATE TABLE fd_search_docs (doc TEXT COLLATE "C" NOT NULL PRIMARY KEY, kind TEXT COLLATE "C" NOT NULL, length BIGINT NOT NULL, attrs TEXT NOT NULL);
CREATE INDEX fd_search_docs_kind ON fd_search_docs (kind) INCLUDE (length);
CREATE TABLE fd_postings (kind TEXT COLLATE "C" NOT NULL, term TEXT COLLATE "C" NOT NULL, doc TEXT COLLATE "C" NOT NULL, tf BIGINT NOT NULL, length BIGINT NOT NULL, PRIMARY KEY (kind, term, doc));
CREATE INDEX fd_postings_doc ON fd_postings (doc);
