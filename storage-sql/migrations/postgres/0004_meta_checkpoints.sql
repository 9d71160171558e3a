-- Foliodesk schema 4: the desk's bookkeeping (reconfiguration progress…) and the desk-wide
-- anchor: checkpoints that chain the heads of every ticket, so a deleted ticket or a
-- truncated history is detected, not only an altered event.
CREATE TABLE fd_meta        (id TEXT COLLATE "C" NOT NULL PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE fd_checkpoints (id BIGINT NOT NULL PRIMARY KEY, body TEXT NOT NULL);
