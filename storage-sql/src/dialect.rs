//! What differs between the three SQL engines: placeholders, upserts, locking, catalogue
//! queries. Everything else is written once, in the portable subset.

use foliodesk_core::{Error, Result};

/// The SQL engine behind a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite (embedded; `sqlite://path.db`).
    Sqlite,
    /// PostgreSQL (`postgres://…`).
    Postgres,
    /// MySQL 8 or MariaDB 10.6+ (`mysql://…`, `mariadb://…`).
    MySql,
}

impl Dialect {
    /// The dialect of a connection URL.
    pub fn of_url(url: &str) -> Result<Dialect> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            "sqlite" => Ok(Dialect::Sqlite),
            "postgres" | "postgresql" => Ok(Dialect::Postgres),
            "mysql" | "mariadb" => Ok(Dialect::MySql),
            _ => Err(Error::validation(
                "url",
                format!(
                    "`{scheme}` is not an SQL scheme; expected sqlite://, postgres:// or mysql://"
                ),
            )),
        }
    }

    /// The directory name of this dialect's migrations.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
            Dialect::MySql => "mysql",
        }
    }

    /// Rewrites the portable `?` placeholders into this dialect's (`$1, $2…` on PostgreSQL).
    /// SQL text written here never has `?` inside a literal.
    pub fn sql(self, portable: &str) -> String {
        if self != Dialect::Postgres {
            return portable.to_owned();
        }
        let mut out = String::with_capacity(portable.len() + 16);
        let mut n = 0;
        for c in portable.chars() {
            if c == '?' {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            } else {
                out.push(c);
            }
        }
        out
    }

    /// `INSERT … VALUES (?, ?)` that replaces the `body` of an existing row with key `id`.
    pub fn upsert_body(self, table: &str) -> String {
        match self {
            Dialect::MySql => format!(
                "INSERT INTO {table} (id, body) VALUES (?, ?) \
                 ON DUPLICATE KEY UPDATE body = VALUES(body)"
            ),
            _ => format!(
                "INSERT INTO {table} (id, body) VALUES (?, ?) \
                 ON CONFLICT (id) DO UPDATE SET body = excluded.body"
            ),
        }
    }

    /// Draws the next number of a folio counter. It returns the number as a row, except on
    /// MySQL (no `RETURNING`), where [`Dialect::drawn_folio`] reads it back.
    /// Either way the counter row stays locked until the transaction ends, which is what
    /// keeps folios gap-free: a rolled-back append gives its number back.
    pub fn next_folio(self) -> &'static str {
        match self {
            Dialect::MySql => {
                "INSERT INTO fd_folios (prefix, folio_year, last_number) \
                 VALUES (?, ?, LAST_INSERT_ID(1)) \
                 ON DUPLICATE KEY UPDATE last_number = LAST_INSERT_ID(last_number + 1)"
            }
            _ => {
                "INSERT INTO fd_folios (prefix, folio_year, last_number) VALUES (?, ?, 1) \
                 ON CONFLICT (prefix, folio_year) \
                 DO UPDATE SET last_number = fd_folios.last_number + 1 RETURNING last_number"
            }
        }
    }

    /// The statement that reads the number [`Dialect::next_folio`] drew, where it does not
    /// return it as a row (MySQL).
    pub fn drawn_folio(self) -> Option<&'static str> {
        match self {
            Dialect::MySql => Some("SELECT CAST(LAST_INSERT_ID() AS SIGNED)"),
            Dialect::Sqlite | Dialect::Postgres => None,
        }
    }

    /// The statement that opens a write transaction. SQLite takes the write lock up front
    /// (`IMMEDIATE`), so two writers never deadlock upgrading from a read.
    pub fn begin_write(self) -> &'static str {
        match self {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres | Dialect::MySql => "BEGIN",
        }
    }

    /// Suffix that locks the selected rows until commit (nothing on SQLite, whose write
    /// transaction already excludes other writers).
    pub fn for_update(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres | Dialect::MySql => " FOR UPDATE",
        }
    }

    /// The names of this database's tables that start with `fd_`.
    pub fn list_tables(self) -> &'static str {
        match self {
            Dialect::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'fd!_%' ESCAPE '!'"
            }
            Dialect::Postgres => {
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name LIKE 'fd!_%' ESCAPE '!'"
            }
            Dialect::MySql => {
                "SELECT CAST(table_name AS CHAR) FROM information_schema.tables \
                 WHERE table_schema = DATABASE() AND table_name LIKE 'fd!_%' ESCAPE '!'"
            }
        }
    }

    /// Statements that serialise schema migrations between processes, and release them.
    pub fn migration_lock(self) -> Option<(&'static str, &'static str)> {
        match self {
            Dialect::Sqlite => None,
            Dialect::Postgres => Some((
                "SELECT pg_advisory_lock(7346201)::text",
                "SELECT pg_advisory_unlock(7346201)::text",
            )),
            Dialect::MySql => Some((
                "SELECT CAST(GET_LOCK('foliodesk_migrate', 60) AS CHAR)",
                "SELECT CAST(RELEASE_LOCK('foliodesk_migrate') AS CHAR)",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_placeholders_are_numbered() {
        assert_eq!(
            Dialect::Postgres.sql("a = ? AND b IN (?, ?)"),
            "a = $1 AND b IN ($2, $3)"
        );
        assert_eq!(Dialect::MySql.sql("a = ?"), "a = ?");
    }

    #[test]
    fn scheme_picks_the_dialect() {
        assert_eq!(Dialect::of_url("sqlite://x.db").unwrap(), Dialect::Sqlite);
        assert_eq!(Dialect::of_url("sqlite::memory:").unwrap(), Dialect::Sqlite);
        assert_eq!(
            Dialect::of_url("postgresql://h/db").unwrap(),
            Dialect::Postgres
        );
        assert_eq!(Dialect::of_url("mariadb://h/db").unwrap(), Dialect::MySql);
        let err = Dialect::of_url("oracle://h").unwrap_err();
        assert_eq!(err.field(), Some("url"));
    }
}
