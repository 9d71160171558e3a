//! An import batch = one redb write transaction: every new ticket of the batch with its
//! events, index entries and folio, committed durably once.

use foliodesk_core::store::batch::seal_batch;
use foliodesk_core::store::doc::to_json;
use foliodesk_core::store::AppendEvents;
use foliodesk_core::Result;
use redb::{Database, ReadableTable};

use crate::append::index_folio;
use crate::db_err;
use crate::index;
use crate::tables::*;

pub(crate) fn import(db: &Database, batch: &[AppendEvents]) -> Result<Vec<Option<String>>> {
    let txn = db.begin_write().map_err(db_err)?;
    let folios = {
        let mut tickets = txn.open_table(TICKETS).map_err(db_err)?;
        let mut counters = txn.open_table(COUNTERS).map_err(db_err)?;
        let sealed = seal_batch(
            batch,
            |id| Ok(tickets.get(id.as_str()).map_err(db_err)?.is_some()),
            |key| {
                let last = counters
                    .get((key.prefix.as_str(), key.year))
                    .map_err(db_err)?;
                Ok(last.map_or(0, |g| g.value()))
            },
        )?;
        for (key, last) in &sealed.counters {
            (counters.insert((key.prefix.as_str(), key.year), *last)).map_err(db_err)?;
        }
        let mut index = txn.open_table(INDEX).map_err(db_err)?;
        let mut events = txn.open_table(EVENTS).map_err(db_err)?;
        for s in sealed.sealed.iter().flatten() {
            let (ticket, id) = (&s.ticket, s.ticket.id.as_str());
            index_folio(&mut index, &ticket.folio, id)?;
            let due = s.due_at.map(|d| d.timestamp_micros());
            index::move_entries(&mut index, None, ticket, None, due)?;
            let head = &s.envelopes.last().expect("seal refuses no events").hash;
            let body = to_json(ticket)?;
            (tickets.insert(id, (ticket.version, head.as_str(), due, body.as_str())))
                .map_err(db_err)?;
            for env in &s.envelopes {
                (events.insert((id, env.sequence), to_json(env)?.as_str())).map_err(db_err)?;
            }
        }
        sealed.folios()
    };
    // Tickets answered `None` were stored already: their documents are too.
    for (req, folio) in batch.iter().zip(&folios) {
        if let (Some(doc), Some(_)) = (&req.index, folio) {
            crate::search::put_doc(&txn, doc)?;
        }
        if let (Some(fact), Some(_)) = (&req.fact, folio) {
            crate::facts::put(&txn, fact)?;
        }
    }
    txn.commit().map_err(db_err)?;
    Ok(folios)
}
