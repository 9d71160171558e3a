//! Contact records: by id, with a second table ordering them by start for range reads.

use foliodesk_core::contact::{Contact, ContactRange};
use foliodesk_core::store::doc::{from_json, to_json};
use foliodesk_core::Result;
use redb::{Database, ReadableDatabase};

use crate::db_err;
use crate::tables::{CONTACTS, CONTACTS_BY_START};

/// Records `contact`, replacing the record with its id and its place in the start order.
pub(crate) fn put(db: &Database, contact: &Contact) -> Result<()> {
    let body = to_json(contact)?;
    let start = contact.started_at.timestamp_micros();
    let txn = db.begin_write().map_err(db_err)?;
    {
        let mut by_id = txn.open_table(CONTACTS).map_err(db_err)?;
        let mut by_start = txn.open_table(CONTACTS_BY_START).map_err(db_err)?;
        let old = by_id
            .insert(contact.id.as_str(), (start, body.as_str()))
            .map_err(db_err)?
            .map(|g| g.value().0);
        if let Some(old) = old {
            by_start
                .remove((old, contact.id.as_str()))
                .map_err(db_err)?;
        }
        by_start
            .insert((start, contact.id.as_str()), ())
            .map_err(db_err)?;
    }
    txn.commit().map_err(db_err)
}

/// The contacts in `range`, by (start, id).
pub(crate) fn read(db: &Database, range: &ContactRange) -> Result<Vec<Contact>> {
    let txn = db.begin_read().map_err(db_err)?;
    let (by_id, by_start) = match (txn.open_table(CONTACTS), txn.open_table(CONTACTS_BY_START)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(redb::TableError::TableDoesNotExist(_)), _) => return Ok(Vec::new()),
        (Err(e), _) | (_, Err(e)) => return Err(db_err(e)),
    };
    let from = range.from.timestamp_micros();
    let to = range.to.timestamp_micros();
    let mut found = Vec::new();
    for entry in by_start.range((from, "")..(to, "")).map_err(db_err)? {
        if found.len() >= range.limit as usize {
            break;
        }
        let (key, _) = entry.map_err(db_err)?;
        let (_, id) = key.value();
        let Some(row) = by_id.get(id).map_err(db_err)? else {
            continue;
        };
        let contact: Contact = from_json("contact", row.value().1)?;
        if range.matches(&contact) {
            found.push(contact);
        }
    }
    Ok(found)
}
