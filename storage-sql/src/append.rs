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
//!    data-modifying CTEs; MySQL: one `CALL` that also commits);
//! 3. PostgreSQL: `COMMIT`.
//!
//! The transaction is managed by hand for that; [`Session`] keeps it safe to abandon.

use foliodesk_core::store::{seal, AppendEvents, Appended};
use foliodesk_core::Result;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Executor, Row};

use crate::dialect::Dialect;
use crate::errors::{append_failed, conflict, storage};
use crate::filter::{bind_all, Arg};
use crate::guess;
use crate::session::Session;
use crate::statements::inline;
use crate::writes::{ctes, writes, Statement};
use crate::SqlStore;

pub(crate) async fn append(store: &SqlStore, req: AppendEvents) -> Result<Appended> {
    let counter = req
        .folio
        .as_ref()
        .filter(|_| req.base.is_none() && store.dialect != Dialect::Sqlite);
    if let Some(key) = counter {
        if let Some(number) = store.guesses.take(key) {
            match guess::append(store, &req, key, number).await {
                Ok(Some(done)) => return Ok(done),
                Ok(None) => store.guesses.forget(key),
                Err(e) => {
                    store.guesses.forget(key);
                    return Err(e);
                }
            }
        }
    }
    let mut session = match &store.writer {
        Some(writer) => Session::writer(writer).await?,
        None => Session::pooled(&store.pool).await?,
    };
    let result = transact(store, &mut session, &req).await;
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
    store: &SqlStore,
    s: &mut Session<'_>,
    req: &AppendEvents,
) -> Result<(Appended, Option<u64>)> {
    let fail = |doing: &str, e| append_failed(req, doing, e);
    s.opening();
    let rows = begin(store, s.conn(), reads(store, req))
        .await
        .map_err(|e| fail("cannot begin the append", e))?;
    let read = Reads::of(&rows).map_err(|e| storage("cannot read the ticket's head", e))?;
    let sealed = seal(req, read.version, read.hash.as_deref(), read.folio)?;
    let writes = writes(store, req, &sealed, None)?;
    let written = finish(store.dialect, s.conn(), writes)
        .await
        .map_err(|e| fail("cannot write the append", e))?;
    if req.base.is_some() && written != 1 {
        return Err(conflict(req));
    }
    s.closed();
    let done = Appended {
        ticket: sealed.ticket,
        events: sealed.envelopes,
    };
    Ok((done, read.folio))
}

/// What must be read inside the transaction before sealing.
fn reads(store: &SqlStore, req: &AppendEvents) -> Vec<Statement> {
    let mut reads = Vec::with_capacity(2);
    if req.base.is_some() {
        // A new ticket has no head; a concurrent creator of the same id is caught by the
        // primary key.
        reads.push((
            store.sql.head.clone(),
            vec![Arg::Text(req.ticket_id.to_string())],
        ));
    }
    if let Some(key) = &req.folio {
        let args = vec![Arg::Text(key.prefix.clone()), Arg::Int(i64::from(key.year))];
        reads.push((store.sql.next_folio.clone(), args));
        if let Some(sql) = store.dialect.drawn_folio() {
            reads.push((sql.to_owned(), Vec::new()));
        }
    }
    reads
}

/// Begins the transaction and runs `reads` in it, in one trip where the engine allows.
async fn begin(
    store: &SqlStore,
    conn: &mut AnyConnection,
    reads: Vec<Statement>,
) -> sqlx::Result<Vec<AnyRow>> {
    let d = store.dialect;
    let begin = d.begin_write();
    if d == Dialect::Sqlite {
        let (sql, args): (Vec<String>, Vec<Vec<Arg>>) = reads.into_iter().unzip();
        let q = bind_all(sqlx::query(AssertSqlSafe(batch(begin, sql))), args.concat());
        return q.fetch_all(conn).await;
    }
    // The servers take binds one statement at a time; the simple-query protocol takes
    // several statements but no binds, so the reads' few values (folio prefix, year,
    // ticket id) are written in as literals when they are plainly safe.
    let inlined: Option<Vec<String>> = reads.iter().map(|(sql, a)| inline(sql, a)).collect();
    if let Some(inlined) = inlined {
        return sqlx::raw_sql(AssertSqlSafe(batch(begin, inlined)))
            .fetch_all(conn)
            .await;
    }
    conn.execute(begin).await?;
    let mut rows = Vec::new();
    for (sql, args) in reads {
        let q = bind_all(sqlx::query(AssertSqlSafe(d.sql(&sql))), args);
        rows.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(rows)
}

/// `first; rest…` as one `;`-separated batch.
fn batch(first: &str, rest: Vec<String>) -> String {
    let mut sql = first.to_owned();
    for statement in rest {
        sql.push_str("; ");
        sql.push_str(&statement);
    }
    sql
}

/// The head and folio number read by [`begin`], told apart by their width: the head is
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

/// Runs the writes and commits; the number of projection rows written (the first write).
pub(crate) async fn finish(
    d: Dialect,
    conn: &mut AnyConnection,
    writes: Vec<Statement>,
) -> sqlx::Result<u64> {
    match d {
        Dialect::Sqlite => {
            // sqlx's SQLite driver runs `;`-separated statements of one query in a single
            // trip, handing each its share of the binds; a failing statement stops the
            // rest, COMMIT included. Under BEGIN IMMEDIATE the head read is authoritative,
            // so the projection row needs no count of its own.
            let (sql, args): (Vec<String>, Vec<Vec<Arg>>) = writes.into_iter().unzip();
            let sql = format!("{}; COMMIT", sql.join("; "));
            bind_all(sqlx::query(AssertSqlSafe(sql)), args.concat())
                .execute(conn)
                .await?;
            Ok(1)
        }
        Dialect::Postgres => {
            // One statement: the writes as data-modifying CTEs, counting the projection rows
            // written (0 means the version check failed; the rollback undoes the rest).
            let (cte, args) = ctes(None, writes, str::to_owned);
            let row = bind_all(sqlx::query(AssertSqlSafe(d.sql(&cte))), args)
                .fetch_one(&mut *conn)
                .await?;
            let written: i64 = row.try_get(0)?;
            if written == 1 {
                conn.execute("COMMIT").await?;
            }
            Ok(written as u64)
        }
        Dialect::MySql => {
            // One CALL that also commits; a stale version fails it with SQLSTATE 40001.
            for (sql, args) in writes {
                bind_all(sqlx::query(AssertSqlSafe(sql)), args)
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(1)
        }
    }
}
