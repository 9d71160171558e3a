//! Report facts: one table by (opened, ticket), and a second holding only the live ones so
//! the dashboard reads the open backlog, not the whole history.

use foliodesk_core::report::{Fact, FactQuery};
use foliodesk_core::Result;
use redb::{Database, ReadableDatabase, WriteTransaction};

use crate::db_err;
use crate::tables::{FACTS, LIVE_FACTS};

/// Writes `fact` in `txn`, replacing the ticket's.
pub(crate) fn put(txn: &WriteTransaction, fact: &Fact) -> Result<()> {
    let bytes = fact.encode()?;
    let key = (fact.opened, fact.ticket.as_str());
    txn.open_table(FACTS)
        .map_err(db_err)?
        .insert(key, bytes.as_slice())
        .map_err(db_err)?;
    let mut live = txn.open_table(LIVE_FACTS).map_err(db_err)?;
    if fact.live() {
        live.insert(key, bytes.as_slice()).map_err(db_err)?;
    } else {
        live.remove(key).map_err(db_err)?;
    }
    Ok(())
}

/// Writes `facts` in one transaction.
pub(crate) fn put_all(db: &Database, facts: &[Fact]) -> Result<()> {
    let txn = db.begin_write().map_err(db_err)?;
    for f in facts {
        put(&txn, f)?;
    }
    txn.commit().map_err(db_err)
}

/// The facts `q` selects, in key order.
pub(crate) fn read(db: &Database, q: &FactQuery) -> Result<Vec<Fact>> {
    let txn = db.begin_read().map_err(db_err)?;
    let table = match txn.open_table(if q.live_only { LIVE_FACTS } else { FACTS }) {
        Ok(t) => t,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
        Err(e) => return Err(db_err(e)),
    };
    let from = q.opened_from.unwrap_or(i64::MIN);
    let start = match &q.after {
        Some((o, id)) if (*o, id.as_str()) >= (from, "") => (*o, id.as_str()),
        _ => (from, ""),
    };
    let to = q.opened_to.unwrap_or(i64::MAX);
    let mut out = Vec::new();
    for entry in table.range(start..).map_err(db_err)? {
        if out.len() >= q.limit as usize {
            break;
        }
        let (key, value) = entry.map_err(db_err)?;
        if key.value().0 >= to {
            break;
        }
        let fact = Fact::decode(value.value())?;
        if q.matches(&fact) {
            out.push(fact);
        }
    }
    Ok(out)
}
