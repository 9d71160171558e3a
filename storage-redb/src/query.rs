//! Queries: one secondary index walked in keyset order, every condition checked with the
//! core's reference filter.

use chrono::{DateTime, Utc};
use foliodesk_core::query::{Page, QueryTickets};
use foliodesk_core::store::doc::from_json;
use foliodesk_core::store::DueTicket;
use foliodesk_core::{Error, EventEnvelope, Result, Ticket, TicketId};
use redb::{Database, ReadableDatabase};

use crate::db_err;
use crate::index;
use crate::tables::*;

/// The projection stored for `id`.
pub(crate) fn ticket_row(
    tickets: &redb::ReadOnlyTable<&'static str, (u64, &'static str, Option<i64>, &'static str)>,
    id: &str,
) -> Result<Option<Ticket>> {
    match tickets.get(id).map_err(db_err)? {
        Some(row) => Ok(Some(from_json("ticket", row.value().3)?)),
        None => Ok(None),
    }
}

pub(crate) fn query_blocking(db: &Database, q: &QueryTickets) -> Result<Page<Ticket>> {
    let txn = db.begin_read().map_err(db_err)?;
    let tickets = txn.open_table(TICKETS).map_err(db_err)?;
    let terms = index::driving_terms(&q.filter);
    let after = q.after.as_ref().map(|c| (c.opened_micros, c.id.as_str()));
    let keys = crate::walk::Merged::new(&crate::walk::open(&txn)?, &terms, after, q.newest_first)?;
    let want = q.limit as usize + 1;
    let mut items = Vec::new();
    for key in keys {
        let (_, id) = key?;
        let Some(row) = tickets.get(id.as_str()).map_err(db_err)? else {
            return Err(Error::storage_msg(format!(
                "index names missing ticket {id}"
            )));
        };
        let ticket: Ticket = from_json("ticket", row.value().3)?;
        if q.filter.matches(&ticket) {
            items.push(ticket);
            if items.len() == want {
                break;
            }
        }
    }
    Ok(Page::from_overfetch(items, q.limit))
}

/// A ticket's events in sequence order.
pub(crate) fn events_blocking(db: &Database, id: &str) -> Result<Vec<EventEnvelope>> {
    let txn = db.begin_read().map_err(db_err)?;
    let events = txn.open_table(EVENTS).map_err(db_err)?;
    let mut out = Vec::new();
    for entry in (events.range((id, 0)..=(id, u64::MAX))).map_err(db_err)? {
        let (_, v) = entry.map_err(db_err)?;
        out.push(from_json("event", v.value())?);
    }
    Ok(out)
}

/// Up to `limit` tickets due at or before `now`, earliest first.
pub(crate) fn due_blocking(
    db: &Database,
    now: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<DueTicket>> {
    let now = now.timestamp_micros();
    let txn = db.begin_read().map_err(db_err)?;
    let index = txn.open_table(INDEX).map_err(db_err)?;
    let mut out = Vec::new();
    let lo = (index::DUE, i64::MIN, "");
    let hi = (index::DUE, now.saturating_add(1), "");
    for entry in (index.range::<(&str, i64, &str)>(lo..hi).map_err(db_err)?).take(limit as usize) {
        let (key, _) = entry.map_err(db_err)?;
        let (_, at, id) = key.value();
        out.push(DueTicket {
            ticket_id: TicketId::new(id),
            due_at: DateTime::from_timestamp_micros(at).ok_or_else(|| {
                Error::storage_msg(format!("stored instant {at} is out of range"))
            })?,
        });
    }
    Ok(out)
}

/// The ticket under folio index term `term`.
pub(crate) fn by_folio_blocking(db: &Database, term: &str) -> Result<Option<Ticket>> {
    let txn = db.begin_read().map_err(db_err)?;
    let index = txn.open_table(INDEX).map_err(db_err)?;
    let mut hits = (index.range((term, 0, "")..(term, 1, ""))).map_err(db_err)?;
    let Some(hit) = hits.next() else {
        return Ok(None);
    };
    let id = hit.map_err(db_err)?.0.value().2.to_owned();
    ticket_row(&txn.open_table(TICKETS).map_err(db_err)?, &id)
}
