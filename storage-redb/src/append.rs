//! One append = one redb write transaction: head check, folio draw, seal, projection,
//! events, secondary and due indexes, outbox. redb commits it durably or not at all.
//!
//! A new ticket's append touches five tables (tickets, counters, index, events, outbox):
//! each table a transaction writes costs its own dirty pages at commit, which is most of
//! what a durable commit pays beyond its fsync. Concurrent appends share a transaction
//! through [`crate::group`].

use foliodesk_core::store::doc::to_json;
use foliodesk_core::store::{seal, AppendEvents, Appended};
use foliodesk_core::{Error, Result};
use redb::{Database, ReadableTable, WriteTransaction};

use crate::db_err;
use crate::index::{self};
use crate::tables::*;

pub(crate) fn append(db: &Database, req: &AppendEvents) -> Result<Appended> {
    let txn = db.begin_write().map_err(db_err)?;
    let appended = apply(&txn, req)??;
    txn.commit().map_err(db_err)?;
    Ok(appended)
}

/// Writes `req` into `txn`. The inner error is a refusal by `seal`, before anything was
/// written (the transaction may go on); the outer one leaves the transaction half-written.
pub(crate) fn apply(txn: &WriteTransaction, req: &AppendEvents) -> Result<Result<Appended>> {
    let sealed = {
        let mut tickets = txn.open_table(TICKETS).map_err(db_err)?;
        let id = req.ticket_id.as_str();
        let (version, head_hash, old_due) = match tickets.get(id).map_err(db_err)? {
            Some(g) => {
                let (v, h, d, _) = g.value();
                (v, Some(h.to_owned()), d)
            }
            None => (0, None, None),
        };
        let mut counters = txn.open_table(COUNTERS).map_err(db_err)?;
        let number = match &req.folio {
            Some(key) => {
                let last = counters
                    .get((key.prefix.as_str(), key.year))
                    .map_err(db_err)?
                    .map_or(0, |g| g.value());
                Some(last + 1)
            }
            None => None,
        };
        let sealed = match seal(req, version, head_hash.as_deref(), number) {
            Ok(sealed) => sealed,
            Err(refused) => return Ok(Err(refused)),
        };
        let ticket = &sealed.ticket;
        let mut index = txn.open_table(INDEX).map_err(db_err)?;
        if let (Some(key), Some(n)) = (&req.folio, number) {
            counters
                .insert((key.prefix.as_str(), key.year), n)
                .map_err(db_err)?;
            index_folio(&mut index, &ticket.folio, id)?;
        }
        // `seal` checked the head version, so `req.base` is the stored projection: its
        // terms are the index entries to replace.
        let new_due = sealed.due_at.map(|d| d.timestamp_micros());
        index::move_entries(&mut index, req.base.as_ref(), ticket, old_due, new_due)?;
        let last_hash = &sealed
            .envelopes
            .last()
            .expect("seal refuses no events")
            .hash;
        let body = to_json(ticket)?;
        tickets
            .insert(
                id,
                (ticket.version, last_hash.as_str(), new_due, body.as_str()),
            )
            .map_err(db_err)?;
        let mut events = txn.open_table(EVENTS).map_err(db_err)?;
        for env in &sealed.envelopes {
            events
                .insert((id, env.sequence), to_json(env)?.as_str())
                .map_err(db_err)?;
        }
        if !sealed.outbox.is_empty() {
            let mut next = counters
                .get(OUTBOX_COUNTER)
                .map_err(db_err)?
                .map_or(1, |g| g.value());
            let mut outbox = txn.open_table(OUTBOX).map_err(db_err)?;
            for n in &sealed.outbox {
                outbox.insert(next, to_json(n)?.as_str()).map_err(db_err)?;
                next += 1;
            }
            counters.insert(OUTBOX_COUNTER, next).map_err(db_err)?;
        }
        sealed
    };
    // After the block: `put_doc` opens `counters` again.
    if let Some(doc) = &req.index {
        crate::search::put_doc(txn, doc)?;
    }
    if let Some(fact) = &req.fact {
        crate::facts::put(txn, fact)?;
    }
    Ok(Ok(Appended {
        ticket: sealed.ticket,
        events: sealed.envelopes,
    }))
}

/// Indexes a new ticket's folio, refusing one that is taken (a damaged counter).
pub(crate) fn index_folio(
    index: &mut redb::Table<'_, (&'static str, i64, &'static str), ()>,
    folio: &str,
    id: &str,
) -> Result<()> {
    let term = index::folio(folio);
    let taken = index
        .range((term.as_str(), 0, "")..(term.as_str(), 1, ""))
        .map_err(db_err)?
        .next()
        .is_some();
    if taken {
        return Err(Error::storage_msg(format!(
            "folio {folio} is already taken: the folio counter is damaged"
        )));
    }
    index.insert((term.as_str(), 0, id), ()).map_err(db_err)?;
    Ok(())
}
