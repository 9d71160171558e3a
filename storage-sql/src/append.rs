//! One append = one transaction: folio draw, projection row, events, outbox.
//!
//! Statement count is the cost that matters on SQLite through sqlx (each one is a round trip
//! to the connection's worker thread), so an append is at most: `BEGIN`, head read (only
//! for an existing ticket) or folio draw (only for a new one), projection write, one
//! multi-row events insert, one multi-row outbox insert, `COMMIT`.

use foliodesk_core::store::{seal, AppendEvents, Appended, FolioKey};
use foliodesk_core::{Error, Result};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::AnyConnection;
use sqlx::{Any, AssertSqlSafe, Row};

use crate::dialect::Dialect;
use crate::errors::{is_retryable, storage};
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
    if is_new {
        insert_ticket(store, &mut tx, &req, row)
            .await
            .map_err(|e| fail("cannot insert the ticket", e))?;
    } else {
        let updated = update_ticket(store, &mut tx, &req, row)
            .await
            .map_err(|e| fail("cannot update the ticket", e))?;
        if updated != 1 {
            return Err(conflict(req.expected_version + 1));
        }
    }
    let mut events =
        String::from("INSERT INTO fd_events (ticket_id, seq, at_micros, hash, body) VALUES ");
    events.push_str(&values(sealed.envelopes.len(), 5));
    let mut q = sqlx::query(AssertSqlSafe(store.dialect.sql(&events)));
    for env in &sealed.envelopes {
        q = q
            .bind(env.ticket_id.to_string())
            .bind(env.sequence as i64)
            .bind(env.at.timestamp_micros())
            .bind(env.hash.clone())
            .bind(to_json(env)?);
    }
    q.execute(&mut *tx)
        .await
        .map_err(|e| fail("cannot insert the events", e))?;
    if !sealed.outbox.is_empty() {
        let mut outbox = String::from("INSERT INTO fd_outbox (ticket_id, body) VALUES ");
        outbox.push_str(&values(sealed.outbox.len(), 2));
        let mut q = sqlx::query(AssertSqlSafe(store.dialect.sql(&outbox)));
        for n in &sealed.outbox {
            q = q.bind(n.ticket_id.to_string()).bind(to_json(n)?);
        }
        q.execute(&mut *tx)
            .await
            .map_err(|e| fail("cannot queue the notifications", e))?;
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

async fn insert_ticket(
    store: &SqlStore,
    conn: &mut AnyConnection,
    req: &AppendEvents,
    row: TicketRow,
) -> sqlx::Result<()> {
    let q = sqlx::query(store.sql.insert_ticket.clone())
        .bind(req.ticket_id.to_string())
        .bind(row.folio.clone());
    bind_row(q, row).execute(conn).await?;
    Ok(())
}

async fn update_ticket(
    store: &SqlStore,
    conn: &mut AnyConnection,
    req: &AppendEvents,
    row: TicketRow,
) -> sqlx::Result<u64> {
    let q = sqlx::query(store.sql.update_ticket.clone());
    let q = bind_row(q, row)
        .bind(req.ticket_id.to_string())
        .bind(req.expected_version as i64);
    Ok(q.execute(conn).await?.rows_affected())
}

/// Binds the columns after `folio`, in [`crate::rows::TICKET_COLUMNS`] order.
fn bind_row<'q>(q: Query<'q, Any, AnyArguments>, row: TicketRow) -> Query<'q, Any, AnyArguments> {
    q.bind(row.version)
        .bind(row.head_hash)
        .bind(row.kind)
        .bind(row.status)
        .bind(row.team)
        .bind(row.assignee)
        .bind(row.requester)
        .bind(row.organisation)
        .bind(row.priority)
        .bind(row.category)
        .bind(row.watchers)
        .bind(row.opened_micros)
        .bind(row.updated_micros)
        .bind(row.due_micros)
        .bind(row.body)
}
