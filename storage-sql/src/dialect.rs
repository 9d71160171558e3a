//! Which SQL engine a URL names. What differs between the engines is in
//! [`crate::engine`], one module each.

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

    /// The name of this dialect's engine (`sqlite`, `postgres`, `mysql`).
    pub fn name(self) -> &'static str {
        self.engine().name()
    }

    /// Rewrites the portable `?` placeholders into this dialect's (`$1, $2…` on PostgreSQL).
    /// SQL text written here never has `?` inside a literal.
    pub fn sql(self, portable: &str) -> String {
        self.engine().placeholders(portable)
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
