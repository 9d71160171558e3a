//! One append = one transaction: folio draw, projection row, events, outbox.
//!
//! Statement count is the cost that matters on SQLite through sqlx (each one is a round trip
//! to the connection's worker thread), so an append is at most: `BEGIN`, head read (only
//! for an existing ticket) or folio draw (only for a new one), projection write, one
//! multi-row events insert, one multi-row outbox insert, `COMMIT`.

use foliodesk_core::store::{seal, AppendEvents, Appended, FolioKey};
use foliodesk_core::{Error, Result};
use sqlx::AnyConnection;
use sqlx::{AssertSqlSafe, Row};

use crate::dialect::Dialect;
use crate::errors::{is_retryable, storage};
use crate::filter::{bind_all, Arg};
use crate::rows::{to_json, TicketRow};
use crate::statements::values;
use crate::SqlStore;

pub(crate) async fn append(store: &SqlStore, req: AppendEvents) -> Result<Appended> {
    // In-process writers queue here instead of spinning in SQLite's busy handler; other
    // processes still meet the busy timeout.
    let _gate = match &store.write_gate {
        Some(gate) => Some(gate.lock().await),
        None => None,
    };
    let mut tx = store
        .pool
        .begin_with(store.dialect.begin_write())
        .await
        .map_err(|e| storage("cannot begin a write transaction", e))?;
    let conflict = |actual: u64| Error::Conflict {
        ticket: req.ticket_id.to_string(),
        expected: req.expected_version,
        actual,
    };
    let fail = |doing: &str, e: sqlx::Error| {
        if is_retryable(&e) {
            conflict(req.expected_version + 1)
        } else {
            storage(doing, e)
        }
    };
    let is_new = req.base.is_none();
    let (head_version, head_hash) = if is_new {
        // A concurrent creator of the same id is caught by the primary key below.
        (0, None)
    } else {
        read_head(store, &mut tx, &req)
            .await
            .map_err(|e| fail("cannot read the ticket", e))?
    };
    let number = match &req.folio {
        Some(key) => Some(
            draw_folio(store, &mut tx, key)
                .await
                .map_err(|e| fail("cannot draw a folio", e))?,
        ),
        None => None,
    };
    let sealed = seal(&req, head_version, head_hash.as_deref(), number)?;
    let last_hash = &sealed
        .envelopes
        .last()
        .expect("seal refuses no events")
        .hash;
    let row = TicketRow::of(&sealed.ticket, last_hash, sealed.due_at)?;
    let mut writes: Vec<(String, Vec<Arg>)> = Vec::with_capacity(3);
    let mut ticket_args = Vec::with_capacity(18);
    if is_new {
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
    match store.dialect {
        Dialect::Sqlite => {
            // sqlx's SQLite driver runs `;`-separated statements of one query in a single
            // trip to the connection's worker thread, handing each its share of the binds.
            // Under BEGIN IMMEDIATE the head read above is authoritative, so the summed row
            // count needs no per-statement check.
            let (sql, args): (Vec<String>, Vec<Vec<Arg>>) = writes.into_iter().unzip();
            let q = bind_all(sqlx::query(AssertSqlSafe(sql.join("; "))), args.concat());
            q.execute(&mut *tx)
                .await
                .map_err(|e| fail("cannot write the append", e))?;
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
            let row = bind_all(
                sqlx::query(AssertSqlSafe(store.dialect.sql(&cte))),
                args.concat(),
            )
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| fail("cannot write the append", e))?;
            let written: i64 = row
                .try_get(0)
                .map_err(|e| storage("cannot read the append's row count", e))?;
            if written != 1 {
                return Err(conflict(req.expected_version + 1));
            }
        }
        Dialect::MySql => {
            for (i, (sql, args)) in writes.into_iter().enumerate() {
                let done = bind_all(sqlx::query(AssertSqlSafe(sql)), args)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| fail("cannot write the append", e))?;
                if i == 0 && !is_new && done.rows_affected() != 1 {
                    return Err(conflict(req.expected_version + 1));
                }
            }
        }
    }
    tx.commit()
        .await
        .map_err(|e| fail("cannot commit the append", e))?;
    Ok(Appended {
        ticket: sealed.ticket,
        events: sealed.envelopes,
    })
}

async fn read_head(
    store: &SqlStore,
    conn: &mut AnyConnection,
    req: &AppendEvents,
) -> sqlx::Result<(u64, Option<String>)> {
    let row = sqlx::query(store.sql.head.clone())
        .bind(req.ticket_id.to_string())
        .fetch_optional(conn)
        .await?;
    Ok(match row {
        Some(row) => (row.try_get::<i64, _>(0)? as u64, Some(row.try_get(1)?)),
        None => (0, None),
    })
}

async fn draw_folio(
    store: &SqlStore,
    conn: &mut AnyConnection,
    key: &FolioKey,
) -> sqlx::Result<u64> {
    let q = sqlx::query(store.sql.next_folio.clone())
        .bind(key.prefix.clone())
        .bind(i64::from(key.year));
    let number = if store.dialect == Dialect::MySql {
        q.execute(conn)
            .await?
            .last_insert_id()
            .ok_or_else(|| sqlx::Error::Protocol("no LAST_INSERT_ID for the folio".into()))?
    } else {
        q.fetch_one(conn).await?.try_get::<i64, _>(0)?
    };
    Ok(number as u64)
}
