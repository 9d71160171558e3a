-- Foliodesk schema 6: attachment bytes, keyed by their SHA-256 (lower-case hex). A file
-- attached twice is stored once; tickets and their history hold only the key.
CREATE TABLE fd_blobs (id TEXT COLLATE "C" NOT NULL PRIMARY KEY, body BYTEA NOT NULL);
