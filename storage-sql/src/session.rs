//! Write transactions managed by hand, so that `BEGIN` and `COMMIT` ride in the same trip as
//! the statements beside them.
//!
//! sqlx's `Transaction` sends `BEGIN` and `COMMIT` as trips of their own; an append is only
//! a handful of statements, so those two trips are a large share of its cost (on SQLite each
//! trip goes through the connection's worker thread, on the servers it is a network round
//! trip). Managing the transaction by hand makes one thing our job: a future dropped half-way
//! (cancellation, a panic in a caller) must never leave an open transaction behind on a
//! connection that is used again.
//!
//! - **SQLite**: the store's one writer connection, behind a mutex (SQLite has one writer
//!   at a time anyway, and in-process writers queue there instead of spinning in the busy
//!   handler). If an append is abandoned, the writer stays marked open and the next append
//!   rolls it back before it begins.
//! - **PostgreSQL, MySQL**: a pooled connection. If an append is abandoned, the connection is
//!   closed instead of going back to the pool; the server rolls the transaction back.

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, Connection, Executor};
use tokio::sync::{Mutex, MutexGuard};

use crate::errors::storage;
use foliodesk_core::{Error, Result};

/// SQLite's writer connection (`None` once the store is closed) and whether a transaction
/// may still be open on it.
#[derive(Debug)]
pub(crate) struct Writer {
    conn: Option<AnyConnection>,
    open: bool,
}

impl Writer {
    pub fn new(conn: AnyConnection) -> Mutex<Writer> {
        Mutex::new(Writer {
            conn: Some(conn),
            open: false,
        })
    }

    /// Closes the connection; appends after this fail.
    pub async fn close(&mut self) {
        if let Some(conn) = self.conn.take() {
            let _ = conn.close().await;
        }
    }
}

/// A connection on which one append runs its transaction.
pub(crate) enum Session<'a> {
    /// SQLite's writer, held for the whole append.
    Writer(MutexGuard<'a, Writer>),
    /// A pooled connection and whether a transaction is open on it.
    Pooled(PoolConnection<Any>, bool),
}

impl Session<'_> {
    /// The writer, after rolling back whatever an abandoned append left open on it.
    pub async fn writer(writer: &Mutex<Writer>) -> Result<Session<'_>> {
        let mut guard = writer.lock().await;
        let w = &mut *guard;
        let Some(conn) = w.conn.as_mut() else {
            return Err(Error::storage_msg("the store is closed"));
        };
        if w.open {
            // "No transaction is active" is fine here: the abandoned append may have got as
            // far as its COMMIT.
            let _ = conn.execute("ROLLBACK").await;
            w.open = false;
        }
        Ok(Session::Writer(guard))
    }

    /// A connection from `pool`.
    pub async fn pooled(pool: &sqlx::AnyPool) -> Result<Session<'static>> {
        let conn = pool
            .acquire()
            .await
            .map_err(|e| storage("cannot get a connection to write", e))?;
        Ok(Session::Pooled(conn, false))
    }

    /// The connection. Call [`Session::opening`] before sending anything that begins a
    /// transaction.
    pub fn conn(&mut self) -> &mut AnyConnection {
        match self {
            Session::Writer(w) => w.conn.as_mut().expect("checked when the session began"),
            Session::Pooled(c, _) => c,
        }
    }

    /// From here on a transaction may be open on the connection.
    pub fn opening(&mut self) {
        self.set_open(true);
    }

    /// The transaction committed or rolled back.
    pub fn closed(&mut self) {
        self.set_open(false);
    }

    fn set_open(&mut self, open: bool) {
        match self {
            Session::Writer(w) => w.open = open,
            Session::Pooled(_, o) => *o = open,
        }
    }

    /// Rolls back after a failure. If even that fails, the connection stays marked open and
    /// is rolled back again (SQLite) or closed (servers) before anyone reuses it.
    pub async fn rollback(&mut self) {
        if self.conn().execute("ROLLBACK").await.is_ok() {
            self.closed();
        }
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        if let Session::Pooled(conn, true) = self {
            conn.close_on_drop();
        }
    }
}
