-- Foliodesk schema 6 (MySQL/MariaDB): attachment bytes, keyed by their SHA-256 (lower-case
-- hex). A file attached twice is stored once; tickets and their history hold only the key.
-- A file must fit in the server's max_allowed_packet (16 MiB by default on MariaDB).
CREATE TABLE fd_blobs (id CHAR(64) NOT NULL PRIMARY KEY, body LONGBLOB NOT NULL)
    ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;
