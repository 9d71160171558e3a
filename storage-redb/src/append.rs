//! One append = one redb write transaction: head check, folio draw, seal, projection,
//! events, secondary and due indexes, outbox. redb commits it durably or not at all.

use foliodesk_core::store::{seal, AppendEvents, Appended};
use foliodesk_core::{Error, Result, Ticket};
use redb::{Database, ReadableTable};

use crate::db_err;
use crate::index::terms;
use crate::tables::*;
use foliodesk_core::store::doc::to_json;

pub(crate) fn append(db: &Database, req: &AppendEvents) -> Result<Appended> {
    let txn = db.begin_write().map_err(db_err)?;
    let sealed = {
        let mut heads = txn.open_table(HEADS).map_err(db_err)?;
        let mut tickets = txn.open_table(TICKETS).map_err(db_err)?;
        let id = req.ticket_id.as_str();
        let (version, head_hash, old_due) = match heads.get(id).map_err(db_err)? {
            Some(g) => {
                let (v, h, d) = g.value();
                (v, Some(h.to_owned()), d)
            }
            None => (0, None, None),
        };
        let mut folios = txn.open_table(FOLIOS).map_err(db_err)?;
        let number = match &req.folio {
            Some(key) => {
                let last = folios
                    .get((key.prefix.as_str(), key.year))
                    .map_err(db_err)?
                    .map_or(0, |g| g.value());
                Some(last + 1)
            }
            None => None,
        };
        let sealed = seal(req, version, head_hash.as_deref(), number)?;
        // `seal` checked the head version, so `req.base` is the stored projection: its
        // terms are the index entries to replace.
        let old: Option<&Ticket> = req.base.as_ref();
        if let (Some(key), Some(n)) = (&req.folio, number) {
            folios
                .insert((key.prefix.as_str(), key.year), n)
                .map_err(db_err)?;
            let mut by_folio = txn.open_table(BY_FOLIO).map_err(db_err)?;
            if by_folio
                .get(sealed.ticket.folio.as_str())
                .map_err(db_err)?
                .is_some()
            {
                return Err(Error::storage_msg(format!(
                    "folio {} is already taken: the folio counter is damaged",
                    sealed.ticket.folio
                )));
            }
            by_folio
                .insert(sealed.ticket.folio.as_str(), id)
                .map_err(db_err)?;
        }
        let ticket = &sealed.ticket;
        let opened = ticket
            .milestones
            .opened_at
            .map_or(0, |t| t.timestamp_micros());
        let mut index = txn.open_table(INDEX).map_err(db_err)?;
        let old_terms = old.map(terms).unwrap_or_default();
        let new_terms = terms(ticket);
        for t in old_terms.iter().filter(|t| !new_terms.contains(t)) {
            index.remove((t.as_str(), opened, id)).map_err(db_err)?;
        }
        for t in new_terms.iter().filter(|t| !old_terms.contains(t)) {
            index.insert((t.as_str(), opened, id), ()).map_err(db_err)?;
        }
        let mut due = txn.open_table(DUE).map_err(db_err)?;
        let new_due = sealed.due_at.map(|d| d.timestamp_micros());
        if old_due != new_due {
            if let Some(d) = old_due {
                due.remove((d, id)).map_err(db_err)?;
            }
            if let Some(d) = new_due {
                due.insert((d, id), ()).map_err(db_err)?;
            }
        }
        let last_hash = &sealed
            .envelopes
            .last()
            .expect("seal refuses no events")
            .hash;
        heads
            .insert(id, (ticket.version, last_hash.as_str(), new_due))
            .map_err(db_err)?;
        tickets
            .insert(id, to_json(ticket)?.as_str())
            .map_err(db_err)?;
        let mut events = txn.open_table(EVENTS).map_err(db_err)?;
        for env in &sealed.envelopes {
            events
                .insert((id, env.sequence), to_json(env)?.as_str())
                .map_err(db_err)?;
        }
        if !sealed.outbox.is_empty() {
            let mut meta = txn.open_table(META).map_err(db_err)?;
            let mut next = meta
                .get("outbox_next")
                .map_err(db_err)?
                .map_or(1, |g| g.value());
            let mut outbox = txn.open_table(OUTBOX).map_err(db_err)?;
            for n in &sealed.outbox {
                outbox.insert(next, to_json(n)?.as_str()).map_err(db_err)?;
                next += 1;
            }
            meta.insert("outbox_next", next).map_err(db_err)?;
        }
        sealed
    };
    txn.commit().map_err(db_err)?;
    Ok(Appended {
        ticket: sealed.ticket,
        events: sealed.envelopes,
    })
}
