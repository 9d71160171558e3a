//! Writes beside the appends: rescheduling a ticket without events, the desk's bookkeeping
//! values, and the desk-anchor checkpoints.

use foliodesk_core::store::doc::{from_json, to_json};
use foliodesk_core::store::Reschedule;
use foliodesk_core::{Error, Result, Ticket};
use redb::{Database, ReadableDatabase, ReadableTable};

use crate::db_err;
use crate::index::{self};
use crate::tables::*;

/// Moves the due entry and the SLA terms of a ticket still at `req.ticket.version`.
pub(crate) fn reschedule(db: &Database, req: &Reschedule) -> Result<bool> {
    let txn = db.begin_write().map_err(db_err)?;
    {
        let mut tickets = txn.open_table(TICKETS).map_err(db_err)?;
        let id = req.ticket.id.as_str();
        let (head, old_due, old) = match tickets.get(id).map_err(db_err)? {
            Some(g) => {
                let (v, h, d, body) = g.value();
                if v != req.ticket.version {
                    return Ok(false);
                }
                (h.to_owned(), d, from_json::<Ticket>("ticket", body)?)
            }
            None => return Ok(false),
        };
        let mut ticket = old.clone();
        ticket.sla_due = req.ticket.sla_due;
        let mut idx = txn.open_table(INDEX).map_err(db_err)?;
        let new_due = req.due_at.map(|d| d.timestamp_micros());
        index::move_entries(&mut idx, Some(&old), &ticket, old_due, new_due)?;
        let body = to_json(&ticket)?;
        tickets
            .insert(id, (ticket.version, head.as_str(), new_due, body.as_str()))
            .map_err(db_err)?;
    }
    if let Some(fact) = &req.fact {
        crate::facts::put(&txn, fact)?;
    }
    txn.commit().map_err(db_err)?;
    Ok(true)
}

/// The bookkeeping value under `key`.
pub(crate) fn meta(db: &Database, key: &str) -> Result<Option<String>> {
    let txn = db.begin_read().map_err(db_err)?;
    let books = match txn.open_table(BOOKS) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
        Err(e) => return Err(db_err(e)),
    };
    let found = books.get(key).map_err(db_err)?;
    Ok(found.map(|g| g.value().to_owned()))
}

/// Stores or (with `None`) removes the bookkeeping value under `key`.
pub(crate) fn put_meta(db: &Database, key: &str, value: Option<&str>) -> Result<()> {
    let txn = db.begin_write().map_err(db_err)?;
    {
        let mut books = txn.open_table(BOOKS).map_err(db_err)?;
        match value {
            Some(v) => books.insert(key, v).map(|_| ()),
            None => books.remove(key).map(|_| ()),
        }
        .map_err(db_err)?;
    }
    txn.commit().map_err(db_err)
}

/// Keeps `bytes` under their SHA-256, unless they are there already.
pub(crate) fn put_blob(db: &Database, bytes: &[u8]) -> Result<String> {
    let key = foliodesk_core::attachment::sha256_hex(bytes);
    if blob(db, &key)?.is_some() {
        return Ok(key);
    }
    let txn = db.begin_write().map_err(db_err)?;
    {
        let mut blobs = txn.open_table(BLOBS).map_err(db_err)?;
        blobs.insert(key.as_str(), bytes).map_err(db_err)?;
    }
    txn.commit().map_err(db_err)?;
    Ok(key)
}

/// The bytes under `sha256`, if any.
pub(crate) fn blob(db: &Database, sha256: &str) -> Result<Option<Vec<u8>>> {
    let txn = db.begin_read().map_err(db_err)?;
    let blobs = match txn.open_table(BLOBS) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
        Err(e) => return Err(db_err(e)),
    };
    let found = blobs.get(sha256).map_err(db_err)?;
    Ok(found.map(|g| g.value().to_vec()))
}

/// Adds checkpoint `seq`, refusing a number that is taken.
pub(crate) fn append_checkpoint(db: &Database, seq: u64, body: &str) -> Result<()> {
    let txn = db.begin_write().map_err(db_err)?;
    {
        let mut checkpoints = txn.open_table(CHECKPOINTS).map_err(db_err)?;
        if checkpoints.get(seq).map_err(db_err)?.is_some() {
            return Err(Error::Conflict {
                ticket: "<desk anchor>".into(),
                expected: seq - 1,
                actual: seq,
            });
        }
        checkpoints.insert(seq, body).map_err(db_err)?;
    }
    txn.commit().map_err(db_err)
}

/// The checkpoints numbered above `after`.
pub(crate) fn checkpoints(db: &Database, after: u64) -> Result<Vec<String>> {
    let txn = db.begin_read().map_err(db_err)?;
    let table = match txn.open_table(CHECKPOINTS) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
        Err(e) => return Err(db_err(e)),
    };
    let mut out = Vec::new();
    for entry in table.range(after.saturating_add(1)..).map_err(db_err)? {
        let (_, v) = entry.map_err(db_err)?;
        out.push(v.value().to_owned());
    }
    Ok(out)
}
