-- Foliodesk schema 4: the desk's bookkeeping (reconfiguration progress…) and the desk-wide
-- anchor: checkpoints that chain the heads of every ticket, so a deleted ticket or a
-- truncated history is detected, not only an altered event.
CREATE TABLE fd_meta (id VARCHAR(200) NOT NULL PRIMARY KEY, body LONGTEXT NOT NULL)
    ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TABLE fd_checkpoints (id BIGINT NOT NULL PRIMARY KEY, body LONGTEXT NOT NULL)
    ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
