//! One append = one transaction: folio draw, projection row, events, outbox.
//!
//! Trips to the database are the cost that matters (on SQLite each statement is a trip to
//! the connection's worker thread, on the servers a network round trip). A new ticket on a
//! server whose folio counter this store knows is one trip (see [`crate::guess`]);
//! otherwise an append is two or three:
//!
//! 1. `BEGIN` together with what must be read before sealing: the folio draw (under the
//!    counter row's lock) for a new ticket, the head (version and hash) for an existing one;
//! 2. the writes: projection row, one multi-row events insert, one multi-row outbox insert
//!    (SQLite: with the `COMMIT` in the same trip; PostgreSQL: one statement of
//!    data-modifying CTEs; MySQL: one `CALL` that also commits — see [`crate::engine`]);
//! 3. PostgreSQL: `COMMIT`.
//!
//! The transaction is managed by hand for that; [`Session`] keeps it safe to abandon.
//! SQLite's appends go through [`crate::group`], which commits concurrent ones together.

use std::time::Duration;

use foliodesk_core::store::{seal, AppendEvents, Appended};
use foliodesk_core::{Error, Result};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::engine::Engine;
use crate::errors::{append_failed, conflict, is_transient, storage};
use crate::filter::Arg;
use crate::guess;
use crate::session::Session;
use crate::statements::Statements;
use crate::writes::Statement;
use crate::SqlStore;

/// How many times an append rolled back for timing alone (a deadlock, a serialisation
/// failure) is run before its caller is told `Conflict`: such a rollback says nothing about
/// the ticket, and a new ticket caught in a deadlock has no conflict at all.
const ATTEMPTS: u32 = 5;

/// Why one attempt at an append failed.
#[derive(Debug)]
pub(crate) enum Failed {
    /// Rolled back for timing alone: run it again.
    Transient(&'static str, sqlx::Error),
    /// The answer to give.
    Final(Error),
}

impl From<Error> for Failed {
    fn from(e: Error) -> Failed {
        Failed::Final(e)
    }
}

impl Failed {
    /// Sorts a failed statement of `req`'s append.
    pub fn of(req: &AppendEvents, doing: &'static str, e: sqlx::Error) -> Failed {
        if is_transient(&e) {
            Failed::Transient(doing, e)
        } else {
            Failed::Final(append_failed(req, doing, e))
        }
    }
}

pub(crate) async fn append(store: &SqlStore, req: AppendEvents) -> Result<Appended> {
    if let Some(group) = &store.group {
        return group.append(req).await;
    }
    let mut attempt = 1;
    loop {
        match once(store, &req).await {
            Ok(done) => return Ok(done),
            Err(Failed::Final(e)) => return Err(e),
            Err(Failed::Transient(doing, e)) if attempt == ATTEMPTS => {
                return Err(append_failed(&req, doing, e))
            }
            Err(Failed::Transient(..)) => {
                // The winner of the deadlock is committing now; give it a moment.
                tokio::time::sleep(Duration::from_millis(1 << attempt)).await;
                attempt += 1;
            }
        }
    }
}

/// One attempt: the guessed folio's one trip if this store knows the counter, else the
/// locked path.
async fn once(store: &SqlStore, req: &AppendEvents) -> std::result::Result<Appended, Failed> {
    let counter = req.folio.as_ref().filter(|_| req.base.is_none());
    if let Some(key) = counter {
        if let Some(number) = store.guesses.take(key) {
            match guess::append(store, req, key, number).await {
                Ok(Some(done)) => return Ok(done),
                Ok(None) => store.guesses.forget(key),
                Err(e) => {
                    store.guesses.forget(key);
                    return Err(e);
                }
            }
        }
    }
    let mut session = Session::pooled(&store.pool).await?;
    let result = transact(store.engine(), &store.sql, &mut session, req).await;
    match result {
        Ok((done, drawn)) => {
            if let (Some(key), Some(number)) = (counter, drawn) {
                store.guesses.learn(key, number);
            }
            Ok(done)
        }
        Err(e) => {
            session.rollback().await;
            Err(e)
        }
    }
}

/// The locked path; the appended ticket and the folio number drawn, if any.
async fn transact(
    engine: &dyn Engine,
    sql: &Statements,
    s: &mut Session<'_>,
    req: &AppendEvents,
) -> std::result::Result<(Appended, Option<u64>), Failed> {
    s.opening();
    let rows = (engine.begin(s.conn(), reads(engine, sql, req)))
        .await
        .map_err(|e| Failed::of(req, "cannot begin the append", e))?;
    let read = Reads::of(&rows).map_err(|e| storage("cannot read the ticket's head", e))?;
    let sealed = seal(req, read.version, read.hash.as_deref(), read.folio)?;
    let writes = engine.writes(sql, req, &sealed, None)?;
    let written = (engine.finish(s.conn(), writes))
        .await
        .map_err(|e| Failed::of(req, "cannot write the append", e))?;
    if req.base.is_some() && written != 1 {
        return Err(conflict(req).into());
    }
    s.closed();
    let done = Appended {
        ticket: sealed.ticket,
        events: sealed.envelopes,
    };
    Ok((done, read.folio))
}

/// What must be read inside the transaction before sealing.
fn reads(engine: &dyn Engine, sql: &Statements, req: &AppendEvents) -> Vec<Statement> {
    let mut reads = Vec::with_capacity(2);
    if req.base.is_some() {
        // A new ticket has no head; a concurrent creator of the same id is caught by the
        // primary key.
        reads.push((sql.head.clone(), vec![Arg::Text(req.ticket_id.to_string())]));
    }
    if let Some(key) = &req.folio {
        let args = vec![Arg::Text(key.prefix.clone()), Arg::Int(i64::from(key.year))];
        reads.push((sql.next_folio.clone(), args));
        if let Some(drawn) = engine.drawn_folio() {
            reads.push((drawn.to_owned(), Vec::new()));
        }
    }
    reads
}

/// The head and folio number read by [`Engine::begin`](crate::engine::Engine::begin), told apart by their width: the head is
/// `(version, hash)`, the folio number one column.
#[derive(Debug, Default)]
struct Reads {
    version: u64,
    hash: Option<String>,
    folio: Option<u64>,
}

impl Reads {
    fn of(rows: &[AnyRow]) -> sqlx::Result<Reads> {
        let mut read = Reads::default();
        for row in rows {
            if row.len() == 2 {
                read.version = row.try_get::<i64, _>(0)? as u64;
                read.hash = Some(row.try_get(1)?);
            } else {
                read.folio = Some(row.try_get::<i64, _>(0)? as u64);
            }
        }
        Ok(read)
    }
}
