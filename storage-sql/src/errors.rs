//! Turning sqlx errors into the core's typed errors, with a hint at what to do.

use foliodesk_core::store::AppendEvents;
use foliodesk_core::Error;

/// A database failure as a `STORAGE` error that says what was being done.
pub(crate) fn storage(doing: &str, e: sqlx::Error) -> Error {
    let hint = match &e {
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
            "; check that the server is running and reachable at the URL's host and port"
        }
        sqlx::Error::PoolTimedOut => {
            "; no connection became available in time: check that the server is running and \
             reachable, and that the pool is large enough"
        }
        sqlx::Error::Database(db) if db.message().contains("does not exist") => {
            "; create the database first, or check the URL's database name"
        }
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

/// A failed append statement: a [`conflict`] if trying again may succeed, else `STORAGE`.
pub(crate) fn append_failed(req: &AppendEvents, doing: &str, e: sqlx::Error) -> Error {
    if is_retryable(&e) {
        conflict(req)
    } else {
        storage(doing, e)
    }
}

/// True for errors that mean "another transaction got there first; try again": unique
/// violations, serialisation failures and deadlocks.
pub(crate) fn is_retryable(e: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = e else {
        return false;
    };
    if db.is_unique_violation() {
        return true;
    }
    matches!(
        db.code().as_deref(),
        // PostgreSQL: serialization_failure, deadlock_detected.
        Some("40001") | Some("40P01")
        // MySQL/MariaDB: deadlock, lock wait timeout.
        | Some("1213") | Some("1205") | Some("40000")
    ) || db.message().contains("Deadlock found")
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
