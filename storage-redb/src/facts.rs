//! Report facts: one table by (opened, ticket), a second holding only the live ones so
//! the dashboard reads the open backlog, not the whole history, the keys of the finished
//! ones (what packing takes next), and the blocks packing wrote, by day.

use foliodesk_core::report::block::{Pack, StoredBlock};
use foliodesk_core::report::{Fact, FactQuery, Pulse, PulseFold, PulseQuery, PulseRow};
use foliodesk_core::Result;
use redb::{Database, ReadableDatabase, ReadableTable, WriteTransaction};

use crate::db_err;
use crate::tables::{DONE_FACTS, FACTS, FACT_BLOCKS, LIVE_FACTS, LIVE_PULSE};

/// Writes `fact` in `txn`, replacing the ticket's.
pub(crate) fn put(txn: &WriteTransaction, fact: &Fact) -> Result<()> {
    let bytes = fact.encode()?;
    let key = (fact.opened, fact.ticket.as_str());
    txn.open_table(FACTS)
        .map_err(db_err)?
        .insert(key, bytes.as_slice())
        .map_err(db_err)?;
    let mut live = txn.open_table(LIVE_FACTS).map_err(db_err)?;
    let mut done = txn.open_table(DONE_FACTS).map_err(db_err)?;
    let mut pulse = txn.open_table(LIVE_PULSE).map_err(db_err)?;
    if fact.live() {
        live.insert(key, bytes.as_slice()).map_err(db_err)?;
        done.remove(key).map_err(db_err)?;
        let row = PulseRow::of(fact).encode()?;
        pulse.insert(key, row.as_slice()).map_err(db_err)?;
    } else {
        live.remove(key).map_err(db_err)?;
        done.insert(key, ()).map_err(db_err)?;
        pulse.remove(key).map_err(db_err)?;
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

/// Fills [`DONE_FACTS`] from the facts a layout-4 file holds.
pub(crate) fn index_finished(txn: &WriteTransaction) -> Result<()> {
    let facts = txn.open_table(FACTS).map_err(db_err)?;
    let mut done = txn.open_table(DONE_FACTS).map_err(db_err)?;
    for entry in facts.iter().map_err(db_err)? {
        let (key, value) = entry.map_err(db_err)?;
        if !Fact::decode(value.value())?.live() {
            done.insert(key.value(), ()).map_err(db_err)?;
        }
    }
    Ok(())
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

/// The dashboard's count, from the live pulses.
pub(crate) fn pulse(db: &Database, q: &PulseQuery) -> Result<Pulse> {
    let txn = db.begin_read().map_err(db_err)?;
    let table = txn.open_table(LIVE_PULSE).map_err(db_err)?;
    let mut fold = PulseFold::new(q.clone());
    for entry in table.iter().map_err(db_err)? {
        let (key, value) = entry.map_err(db_err)?;
        let row = PulseRow::decode(value.value())?;
        let (opened, ticket) = key.value();
        fold.add(opened, ticket, &row);
    }
    Ok(fold.finish())
}

/// The blocks of the days in `[from, to)`, at most `limit`.
pub(crate) fn blocks(db: &Database, from: i64, to: i64, limit: u32) -> Result<Vec<StoredBlock>> {
    if from >= to {
        return Ok(Vec::new());
    }
    let txn = db.begin_read().map_err(db_err)?;
    let table = txn.open_table(FACT_BLOCKS).map_err(db_err)?;
    let mut out = Vec::new();
    for entry in table.range(from..to).map_err(db_err)?.take(limit as usize) {
        let (day, value) = entry.map_err(db_err)?;
        let (version, body) = split(value.value())?;
        out.push(StoredBlock {
            day: day.value(),
            version,
            body: body.to_vec(),
        });
    }
    Ok(out)
}

fn split(value: &[u8]) -> Result<(u64, &[u8])> {
    let (version, body) = value.split_first_chunk::<8>().ok_or_else(|| {
        foliodesk_core::Error::storage_msg("a block of report facts is cut short")
    })?;
    Ok((u64::from_le_bytes(*version), body))
}

/// The opening instant of the earliest finished fact still in a row.
pub(crate) fn first_finished(db: &Database) -> Result<Option<i64>> {
    let txn = db.begin_read().map_err(db_err)?;
    let done = txn.open_table(DONE_FACTS).map_err(db_err)?;
    let first = done.first().map_err(db_err)?;
    Ok(first.map(|(key, _)| key.value().0))
}

/// Writes `pack`'s block if the day's is still at its expected version, and drops the
/// rows it packed that did not change since.
pub(crate) fn pack(db: &Database, pack: &Pack) -> Result<bool> {
    let txn = db.begin_write().map_err(db_err)?;
    {
        let mut blocks = txn.open_table(FACT_BLOCKS).map_err(db_err)?;
        let stored = match blocks.get(pack.day).map_err(db_err)? {
            Some(v) => Some(split(v.value())?.0),
            None => None,
        };
        if stored != pack.expected {
            return Ok(false);
        }
        let version = pack.expected.unwrap_or(0) + 1;
        let mut value = version.to_le_bytes().to_vec();
        value.extend_from_slice(&pack.body);
        blocks.insert(pack.day, value.as_slice()).map_err(db_err)?;
        let mut facts = txn.open_table(FACTS).map_err(db_err)?;
        let mut done = txn.open_table(DONE_FACTS).map_err(db_err)?;
        for f in &pack.packed {
            let key = (f.opened, f.ticket.as_str());
            let bytes = f.encode()?;
            let same = facts
                .get(key)
                .map_err(db_err)?
                .is_some_and(|v| v.value() == bytes.as_slice());
            if same {
                facts.remove(key).map_err(db_err)?;
                done.remove(key).map_err(db_err)?;
            }
        }
    }
    txn.commit().map_err(db_err)?;
    Ok(true)
}
