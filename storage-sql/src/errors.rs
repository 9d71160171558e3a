//! Turning sqlx errors into the core's typed errors, with a hint at what to do.

use foliodesk_core::store::AppendEvents;
use foliodesk_core::Error;

/// What a database error means to Foliodesk, read from its SQLSTATE or vendor code, never
/// from its message text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Meaning {
    /// Another transaction wrote the same key first (unique violation): a conflict.
    Taken,
    /// The transaction was rolled back for reasons of timing alone (serialisation failure,
    /// deadlock, lock wait timeout): running it again decides it afresh.
    Transient,
    /// The URL names a database the server does not have.
    NoDatabase,
    /// Anything else.
    Other,
}

/// MySQL/MariaDB server error numbers (the SQLSTATE alone is `HY000` for several).
const ER_BAD_DB_ERROR: u16 = 1049;
const ER_LOCK_WAIT_TIMEOUT: u16 = 1205;
const ER_LOCK_DEADLOCK: u16 = 1213;

pub(crate) fn meaning(e: &sqlx::Error) -> Meaning {
    let sqlx::Error::Database(db) = e else {
        return Meaning::Other;
    };
    if db.is_unique_violation() {
        return Meaning::Taken;
    }
    if let Some(my) = db.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>() {
        return match my.number() {
            ER_LOCK_DEADLOCK | ER_LOCK_WAIT_TIMEOUT => Meaning::Transient,
            ER_BAD_DB_ERROR => Meaning::NoDatabase,
            _ => Meaning::Other,
        };
    }
    match db.code().as_deref() {
        // PostgreSQL: serialization_failure, deadlock_detected.
        Some("40001" | "40P01") => Meaning::Transient,
        // PostgreSQL: invalid_catalog_name.
        Some("3D000") => Meaning::NoDatabase,
        _ => Meaning::Other,
    }
}

/// A database failure as a `STORAGE` error that says what was being done.
pub(crate) fn storage(doing: &str, e: sqlx::Error) -> Error {
    let hint = match (&e, meaning(&e)) {
        (sqlx::Error::Io(_) | sqlx::Error::Tls(_), _) => {
            "; check that the server is running and reachable at the URL's host and port"
        }
        (sqlx::Error::PoolTimedOut, _) => {
            "; no connection became available in time: check that the server is running and \
             reachable, and that the pool is large enough"
        }
        (_, Meaning::NoDatabase) => "; create the database first, or check the URL's database name",
        _ => "",
    };
    Error::storage(format!("{doing}: {e}{hint}"), e)
}

/// Another append got to the ticket first.
pub(crate) fn conflict(req: &AppendEvents) -> Error {
    Error::Conflict {
        ticket: req.ticket_id.to_string(),
        expected: req.expected_version,
        actual: req.expected_version + 1,
    }
}

/// A failed append statement: a [`conflict`] if another transaction got there first (or
/// timing kept failing it after [`is_transient`] retries), else `STORAGE`.
pub(crate) fn append_failed(req: &AppendEvents, doing: &str, e: sqlx::Error) -> Error {
    match meaning(&e) {
        Meaning::Taken | Meaning::Transient => conflict(req),
        _ => storage(doing, e),
    }
}

/// True for errors that say nothing about the data, only about timing: the transaction was
/// rolled back and running it again decides it afresh.
pub(crate) fn is_transient(e: &sqlx::Error) -> bool {
    meaning(e) == Meaning::Transient
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for messages.
pub(crate) fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{}", &rest[authority_end..]),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact_url("postgres://fd:s3cret@db.local:5432/desk"),
            "postgres://fd:***@db.local:5432/desk"
        );
        assert_eq!(
            redact_url("mysql://root@127.0.0.1/test"),
            "mysql://root@127.0.0.1/test"
        );
        assert_eq!(redact_url("sqlite://desk.db"), "sqlite://desk.db");
    }
}

/// Classification against real servers: the codes, not the messages.
#[cfg(all(test, feature = "testkit"))]
mod servers {
    use super::*;
    use crate::testkit::{fresh_db, reachable, server_url};
    use crate::Dialect;
    use sqlx::{AssertSqlSafe, Connection};

    #[tokio::test]
    async fn a_missing_database_is_named_by_its_code() {
        for d in [Dialect::Postgres, Dialect::MySql] {
            if !reachable(d).await {
                continue;
            }
            let url = server_url(d).unwrap();
            let base = url.rsplit_once('/').unwrap().0;
            let err = crate::SqlStore::open(&format!("{base}/fd_no_such_database"))
                .await
                .unwrap_err();
            assert!(
                err.to_string().contains("create the database first"),
                "{d:?}: {err}"
            );
        }
    }

    /// A MySQL lock wait timeout (SQLSTATE HY000, error 1205) is transient, told apart from
    /// other HY000 errors by its number.
    #[tokio::test]
    async fn a_lock_wait_timeout_is_transient_on_mysql() {
        if !reachable(Dialect::MySql).await {
            return;
        }
        let dir = std::env::temp_dir();
        let db = fresh_db(Dialect::MySql, "errors_lock_wait", &dir).await;
        sqlx::any::install_default_drivers();
        let mut a = sqlx::AnyConnection::connect(&db.url).await.unwrap();
        let mut b = sqlx::AnyConnection::connect(&db.url).await.unwrap();
        for sql in [
            "CREATE TABLE t (id INT PRIMARY KEY) ENGINE = InnoDB",
            "INSERT INTO t VALUES (1)",
        ] {
            sqlx::query(AssertSqlSafe(sql))
                .execute(&mut a)
                .await
                .unwrap();
        }
        let mut tx = a.begin().await.unwrap();
        sqlx::query("SELECT id FROM t WHERE id = 1 FOR UPDATE")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
        sqlx::query("SET SESSION innodb_lock_wait_timeout = 1")
            .execute(&mut b)
            .await
            .unwrap();
        let err = sqlx::query("SELECT id FROM t WHERE id = 1 FOR UPDATE")
            .execute(&mut b)
            .await
            .unwrap_err();
        assert_eq!(meaning(&err), Meaning::Transient, "{err}");
        tx.rollback().await.unwrap();
        let other = sqlx::query("SELECT * FROM no_such_table")
            .execute(&mut b)
            .await
            .unwrap_err();
        assert_eq!(meaning(&other), Meaning::Other, "{other}");
    }
}
