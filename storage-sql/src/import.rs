//! An import batch = one transaction of a few multi-row statements, whatever its size:
//! which ids are stored already, the folio counters (read under lock, then set), then the
//! projection rows and the events, each in chunks of as many rows as one statement binds.
//!
//! Trips are what an append costs here (see [`crate::append`]); a batch of 1,000 tickets
//! of 6 events is about 15 trips instead of 3,000.

use std::collections::{BTreeMap, HashSet};

use foliodesk_core::store::batch::seal_batch;
use foliodesk_core::store::{AppendEvents, FolioKey};
use foliodesk_core::Result;
use sqlx::{AnyConnection, AssertSqlSafe, Executor, Row};

use crate::errors::storage;
use crate::filter::{bind_all, Arg};
use crate::merge::Doc;
use crate::rows::{to_json, TicketRow, TICKET_COLUMNS};
use crate::session::Session;
use crate::statements::values;
use crate::SqlStore;

/// Rows per statement: well under SQLite's 32,766 binds (18 per ticket, 5 per event).
const TICKETS_PER_STATEMENT: usize = 500;
const EVENTS_PER_STATEMENT: usize = 1_000;
const IDS_PER_STATEMENT: usize = 1_000;

pub(crate) async fn import(
    store: &SqlStore,
    batch: Vec<AppendEvents>,
) -> Result<Vec<Option<String>>> {
    let mut session = match &store.group {
        Some(group) => Session::writer(&group.writer).await?,
        None => Session::pooled(&store.pool).await?,
    };
    session.opening();
    let result = transact(store, session.conn(), &batch).await;
    match result {
        Ok(folios) => {
            session.closed();
            Ok(folios)
        }
        Err(e) => {
            session.rollback().await;
            Err(e)
        }
    }
}

async fn transact(
    store: &SqlStore,
    conn: &mut AnyConnection,
    batch: &[AppendEvents],
) -> Result<Vec<Option<String>>> {
    let engine = store.engine();
    (conn.execute(engine.begin_write()))
        .await
        .map_err(|e| storage("cannot begin the import", e))?;
    let stored = stored_ids(store, conn, batch).await?;
    let mut last = BTreeMap::new();
    for key in batch.iter().filter_map(|r| r.folio.as_ref()) {
        if !last.contains_key(key) {
            let n = counter(store, conn, key).await?;
            last.insert(key.clone(), n);
        }
    }
    let sealed = seal_batch(
        batch,
        |id| Ok(stored.contains(id.as_str())),
        |key| Ok(last.get(key).copied().flatten().unwrap_or(0)),
    )?;
    for (key, n) in &sealed.counters {
        let (sql, args) = match last.get(key).copied().flatten() {
            Some(_) => (
                "UPDATE fd_folios SET last_number = ? WHERE prefix = ? AND folio_year = ?",
                vec![
                    Arg::Int(*n as i64),
                    Arg::Text(key.prefix.clone()),
                    year(key),
                ],
            ),
            None => (
                "INSERT INTO fd_folios (prefix, folio_year, last_number) VALUES (?, ?, ?)",
                vec![
                    Arg::Text(key.prefix.clone()),
                    year(key),
                    Arg::Int(*n as i64),
                ],
            ),
        };
        run(store, conn, sql, args, "cannot draw the folios").await?;
    }
    let written: Vec<_> = sealed.sealed.iter().flatten().collect();
    for chunk in written.chunks(TICKETS_PER_STATEMENT) {
        let mut args = Vec::with_capacity(chunk.len() * 18);
        for s in chunk {
            let row = TicketRow::sealed(s)?;
            args.push(Arg::Text(s.ticket.id.to_string()));
            args.push(Arg::Text(row.folio.clone()));
            args.extend(row.args());
        }
        let columns = TICKET_COLUMNS.split(',').count() + 1;
        let sql = format!(
            "INSERT INTO fd_tickets (id, {TICKET_COLUMNS}) VALUES {}",
            values(chunk.len(), columns)
        );
        run(store, conn, &sql, args, "cannot write the imported tickets").await?;
    }
    let events: Vec<_> = written.iter().flat_map(|s| &s.envelopes).collect();
    for chunk in events.chunks(EVENTS_PER_STATEMENT) {
        let mut args = Vec::with_capacity(chunk.len() * 5);
        for env in chunk {
            args.push(Arg::Text(env.ticket_id.to_string()));
            args.push(Arg::Int(env.sequence as i64));
            args.push(Arg::Int(env.at.timestamp_micros()));
            args.push(Arg::Text(env.hash.clone()));
            args.push(Arg::Text(to_json(env)?));
        }
        let sql = format!(
            "INSERT INTO fd_events (ticket_id, seq, at_micros, hash, body) VALUES {}",
            values(chunk.len(), 5)
        );
        run(store, conn, &sql, args, "cannot write the imported events").await?;
    }
    // Tickets answered `None` were stored already, and so were their documents.
    let documents = (batch.iter().zip(&sealed.sealed))
        .filter(|(_, s)| s.is_some())
        .filter_map(|(req, _)| req.index.as_ref());
    let documents: Vec<_> = documents.collect();
    let statements = crate::search::insert_new(documents.iter().copied(), store.buffered());
    crate::search::run(store, conn, statements, "cannot index the imported tickets").await?;
    if store.buffered() {
        // New documents: packed with the import, not left to wait.
        let docs: Vec<_> = documents.into_iter().filter_map(Doc::of).collect();
        crate::merge::pack(conn, &docs).await?;
    }
    let facts = (batch.iter().zip(&sealed.sealed))
        .filter(|(_, s)| s.is_some())
        .filter_map(|(req, _)| req.fact.as_ref())
        .collect::<Vec<_>>();
    let mut statements = Vec::new();
    for chunk in facts.chunks(EVENTS_PER_STATEMENT / 2) {
        let sql = crate::facts::insert(chunk.len());
        let mut args = Vec::new();
        for f in chunk {
            args.extend(crate::facts::args(f)?);
        }
        statements.push((sql, args));
    }
    crate::search::run(store, conn, statements, "cannot write the imported facts").await?;
    (conn.execute("COMMIT"))
        .await
        .map_err(|e| storage("cannot commit the import", e))?;
    Ok(sealed.folios())
}

/// The batch's ticket ids that are stored already.
async fn stored_ids(
    store: &SqlStore,
    conn: &mut AnyConnection,
    batch: &[AppendEvents],
) -> Result<HashSet<String>> {
    let mut found = HashSet::new();
    let ids: Vec<&str> = batch.iter().map(|r| r.ticket_id.as_str()).collect();
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let sql = format!(
            "SELECT id FROM fd_tickets WHERE id IN ({})",
            vec!["?"; chunk.len()].join(", ")
        );
        let args = chunk.iter().map(|id| Arg::Text((*id).to_owned())).collect();
        let sql = store.engine().placeholders(&sql);
        let rows = (bind_all(sqlx::query(AssertSqlSafe(sql)), args).fetch_all(&mut *conn))
            .await
            .map_err(|e| storage("cannot read which tickets are stored", e))?;
        for row in rows {
            found.insert(
                row.try_get::<String, _>(0)
                    .map_err(|e| storage("cannot read an id", e))?,
            );
        }
    }
    Ok(found)
}

/// The counter's last number, read under lock; `None` when it has no row yet.
async fn counter(
    store: &SqlStore,
    conn: &mut AnyConnection,
    key: &FolioKey,
) -> Result<Option<u64>> {
    let sql = format!(
        "SELECT last_number FROM fd_folios WHERE prefix = ? AND folio_year = ?{}",
        store.engine().for_update()
    );
    let sql = store.engine().placeholders(&sql);
    let args = vec![Arg::Text(key.prefix.clone()), year(key)];
    let row = (bind_all(sqlx::query(AssertSqlSafe(sql)), args).fetch_optional(&mut *conn))
        .await
        .map_err(|e| storage("cannot read a folio counter", e))?;
    row.map(|r| r.try_get::<i64, _>(0).map(|n| n as u64))
        .transpose()
        .map_err(|e| storage("cannot read a folio counter", e))
}

fn year(key: &FolioKey) -> Arg {
    Arg::Int(i64::from(key.year))
}

async fn run(
    store: &SqlStore,
    conn: &mut AnyConnection,
    sql: &str,
    args: Vec<Arg>,
    doing: &str,
) -> Result<()> {
    let sql = store.engine().placeholders(sql);
    (bind_all(sqlx::query(AssertSqlSafe(sql)), args).execute(&mut *conn))
        .await
        .map_err(|e| storage(doing, e))?;
    Ok(())
}
