//! One append = one transaction: folio draw, projection row, events, outbox.
//!
//! Trips to the database are the cost that matters (on SQLite each statement is a trip to
//! the connection's worker thread, on the servers a network round trip), so an append is
//! two or three trips:
//!
//! 1. `BEGIN` together with what must be read before sealing: the folio draw for a new
//!    ticket, the head (version and hash) for an existing one;
//! 2. the writes: projection row, one multi-row events insert, one multi-row outbox insert
//!    (SQLite: with the `COMMIT` in the same trip; PostgreSQL: one statement of
//!    data-modifying CTEs; MySQL: a statement each);
//! 3. `COMMIT`, where it could not ride with the writes.
//!
//! The transaction is managed by hand for that; [`Session`] keeps it safe to abandon.

use foliodesk_core::store::{seal, AppendEvents, Appended, Sealed};
use foliodesk_core::{Error, Result};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Executor, Row};

use crate::dialect::Dialect;
use crate::errors::{is_retryable, storage};
use crate::filter::{bind_all, Arg};
use crate::rows::{to_json, TicketRow};
use crate::session::Session;
use crate::statements::{inline, values};
use crate::SqlStore;

/// A statement in portable (`?`) SQL and its binds.
type Statement = (String, Vec<Arg>);

pub(crate) async fn append(store: &SqlStore, req: AppendEvents) -> Result<Appended> {
    let mut session = match &store.writer {
        Some(writer) => Session::writer(writer).await?,
        None => Session::pooled(&store.pool).await?,
    };
    let result = transact(store, &mut session, &req).await;
    if result.is_err() {
        session.rollback().await;
    }
    result
}

async fn transact(store: &SqlStore, s: &mut Session<'_>, req: &AppendEvents) -> Result<Appended> {
    let conflict = || Error::Conflict {
        ticket: req.ticket_id.to_string(),
        expected: req.expected_version,
        actual: req.expected_version + 1,
    };
    let fail = |doing: &str, e: sqlx::Error| {
        if is_retryable(&e) {
            conflict()
        } else {
            storage(doing, e)
        }
    };
    s.opening();
    let rows = begin(store, s.conn(), reads(store, req))
        .await
        .map_err(|e| fail("cannot begin the append", e))?;
    let read = Reads::of(&rows).map_err(|e| storage("cannot read the ticket's head", e))?;
    let sealed = seal(req, read.version, read.hash.as_deref(), read.folio)?;
    let writes = writes(store, req, &sealed)?;
    let written = finish(store.dialect, s.conn(), writes)
        .await
        .map_err(|e| fail("cannot write the append", e))?;
    if req.base.is_some() && written != 1 {
        return Err(conflict());
    }
    s.closed();
    Ok(Appended {
        ticket: sealed.ticket,
        events: sealed.envelopes,
    })
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
        let sql = std::iter::once(begin.to_owned())
            .chain(sql)
            .collect::<Vec<_>>();
        let q = bind_all(sqlx::query(AssertSqlSafe(sql.join("; "))), args.concat());
        return q.fetch_all(conn).await;
    }
    // The servers take binds one statement at a time; the simple-query protocol takes
    // several statements but no binds, so the reads' few values (folio prefix, year,
    // ticket id) are written in as literals when they are plainly safe.
    let inlined: Option<Vec<String>> = reads.iter().map(|(sql, a)| inline(sql, a)).collect();
    if let Some(inlined) = inlined {
        let sql = std::iter::once(begin.to_owned())
            .chain(inlined)
            .collect::<Vec<_>>()
            .join("; ");
        return sqlx::raw_sql(AssertSqlSafe(sql)).fetch_all(conn).await;
    }
    conn.execute(begin).await?;
    let mut rows = Vec::new();
    for (sql, args) in reads {
        let q = bind_all(sqlx::query(AssertSqlSafe(d.sql(&sql))), args);
        rows.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(rows)
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

/// The projection row, events and outbox statements of a sealed append.
fn writes(store: &SqlStore, req: &AppendEvents, sealed: &Sealed) -> Result<Vec<Statement>> {
    let last_hash = &sealed
        .envelopes
        .last()
        .expect("seal refuses no events")
        .hash;
    let row = TicketRow::of(&sealed.ticket, last_hash, sealed.due_at)?;
    if store.dialect == Dialect::MySql {
        return Ok(vec![call(req, sealed, row)?]);
    }
    let mut writes: Vec<Statement> = Vec::with_capacity(3);
    let mut ticket_args = Vec::with_capacity(19);
    if req.base.is_none() {
        ticket_args.push(Arg::Text(req.ticket_id.to_string()));
        ticket_args.push(Arg::Text(row.folio.clone()));
        ticket_args.extend(row.args());
        writes.push((store.sql.insert_ticket.clone(), ticket_args));
    } else {
        ticket_args.extend(row.args());
        ticket_args.push(Arg::Text(req.ticket_id.to_string()));
        ticket_args.push(Arg::Int(req.expected_version as i64));
        writes.push((store.sql.update_ticket.clone(), ticket_args));
    }
    let mut events =
        String::from("INSERT INTO fd_events (ticket_id, seq, at_micros, hash, body) VALUES ");
    events.push_str(&values(sealed.envelopes.len(), 5));
    let mut event_args = Vec::with_capacity(sealed.envelopes.len() * 5);
    for env in &sealed.envelopes {
        event_args.push(Arg::Text(env.ticket_id.to_string()));
        event_args.push(Arg::Int(env.sequence as i64));
        event_args.push(Arg::Int(env.at.timestamp_micros()));
        event_args.push(Arg::Text(env.hash.clone()));
        event_args.push(Arg::Text(to_json(env)?));
    }
    writes.push((events, event_args));
    if !sealed.outbox.is_empty() {
        let mut outbox = String::from("INSERT INTO fd_outbox (ticket_id, body) VALUES ");
        outbox.push_str(&values(sealed.outbox.len(), 2));
        let mut outbox_args = Vec::with_capacity(sealed.outbox.len() * 2);
        for n in &sealed.outbox {
            outbox_args.push(Arg::Text(n.ticket_id.to_string()));
            outbox_args.push(Arg::Text(to_json(n)?));
        }
        writes.push((outbox, outbox_args));
    }
    Ok(writes)
}

/// MySQL: the writes and the COMMIT as one `CALL fd_append(…)` (schema 3), with the events
/// and notifications as JSON arrays.
fn call(req: &AppendEvents, sealed: &Sealed, row: TicketRow) -> Result<Statement> {
    let mut args = vec![
        Arg::Text(req.ticket_id.to_string()),
        Arg::Int(req.expected_version as i64),
        Arg::Text(row.folio.clone()),
    ];
    args.extend(row.args());
    let events = sealed
        .envelopes
        .iter()
        .map(|env| {
            Ok((
                env.sequence as i64,
                env.at.timestamp_micros(),
                env.hash.as_str(),
                to_json(env)?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let outbox = sealed
        .outbox
        .iter()
        .map(to_json)
        .collect::<Result<Vec<_>>>()?;
    args.push(Arg::Text(to_json(&events)?));
    args.push(Arg::Text(to_json(&outbox)?));
    let marks = vec!["?"; args.len()].join(", ");
    Ok((format!("CALL fd_append({marks})"), args))
}

/// Runs the writes and commits; the number of projection rows written (the first write).
async fn finish(d: Dialect, conn: &mut AnyConnection, writes: Vec<Statement>) -> sqlx::Result<u64> {
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
            let (sql, args): (Vec<String>, Vec<Vec<Arg>>) = writes.into_iter().unzip();
            let ctes: Vec<String> = sql
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let returning = if i == 0 { " RETURNING 1" } else { "" };
                    format!("w{i} AS ({s}{returning})")
                })
                .collect();
            let cte = format!("WITH {} SELECT COUNT(*) FROM w0", ctes.join(", "));
            let row = bind_all(sqlx::query(AssertSqlSafe(d.sql(&cte))), args.concat())
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
