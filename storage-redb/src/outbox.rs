//! The outbox as a work queue: rows in [`OUTBOX`] as the append wrote them, their delivery
//! state in [`DELIVERY`] once a worker touched them. A row without state is fresh, so an
//! append writes one table for its notifications, not two.

use chrono::{DateTime, Utc};
use foliodesk_core::notify::delivery::{pick, RowState};
use foliodesk_core::notify::{Claim, DeadLetter, Failure, Notification, OutboxMessage};
use foliodesk_core::store::doc::from_json;
use foliodesk_core::Result;
use redb::{Database, ReadableDatabase, ReadableTable, Table};

use crate::db_err;
use crate::tables::*;

type Row = (u64, Notification, RowState);

fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

fn instant(us: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(us).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn rows(
    outbox: &impl ReadableTable<u64, &'static str>,
    delivery: &impl ReadableTable<u64, DeliveryState<'static>>,
) -> Result<Vec<Row>> {
    let mut out = Vec::new();
    for entry in outbox.iter().map_err(db_err)? {
        let (k, v) = entry.map_err(db_err)?;
        let n: Notification = from_json("notification", v.value())?;
        let state = match delivery.get(k.value()).map_err(db_err)? {
            Some(g) => {
                let (available, attempts, lease, token, dead) = g.value();
                RowState {
                    available_at: instant(available),
                    attempts: attempts as u32,
                    lease_until: lease.map(instant),
                    token: token.map(str::to_owned),
                    dead: dead.map(str::to_owned),
                }
            }
            None => RowState::new(&n),
        };
        out.push((k.value(), n, state));
    }
    Ok(out)
}

fn put(delivery: &mut Table<u64, DeliveryState<'static>>, id: u64, s: &RowState) -> Result<()> {
    let value = (
        micros(s.available_at),
        u64::from(s.attempts),
        s.lease_until.map(micros),
        s.token.as_deref(),
        s.dead.as_deref(),
    );
    delivery.insert(id, value).map_err(db_err)?;
    Ok(())
}

fn message((id, notification, state): Row) -> OutboxMessage {
    OutboxMessage {
        id,
        attempts: state.attempts,
        notification,
    }
}

pub(crate) fn pending(db: &Database, limit: u32) -> Result<Vec<OutboxMessage>> {
    let txn = db.begin_read().map_err(db_err)?;
    let outbox = txn.open_table(OUTBOX).map_err(db_err)?;
    let delivery = txn.open_table(DELIVERY).map_err(db_err)?;
    Ok(rows(&outbox, &delivery)?
        .into_iter()
        .filter(|(_, _, s)| s.dead.is_none())
        .take(limit as usize)
        .map(message)
        .collect())
}

pub(crate) fn ack(db: &Database, ids: &[u64]) -> Result<()> {
    let txn = db.begin_write().map_err(db_err)?;
    {
        let mut outbox = txn.open_table(OUTBOX).map_err(db_err)?;
        let mut delivery = txn.open_table(DELIVERY).map_err(db_err)?;
        for id in ids {
            outbox.remove(*id).map_err(db_err)?;
            delivery.remove(*id).map_err(db_err)?;
        }
    }
    txn.commit().map_err(db_err)
}

/// Reads every row, lets `change` pick and alter some, writes their states back.
fn update<T>(db: &Database, change: impl FnOnce(&mut Vec<Row>) -> (Vec<usize>, T)) -> Result<T> {
    let txn = db.begin_write().map_err(db_err)?;
    let result = {
        let outbox = txn.open_table(OUTBOX).map_err(db_err)?;
        let mut delivery = txn.open_table(DELIVERY).map_err(db_err)?;
        let mut all = rows(&outbox, &delivery)?;
        let (changed, result) = change(&mut all);
        for i in changed {
            put(&mut delivery, all[i].0, &all[i].2)?;
        }
        result
    };
    txn.commit().map_err(db_err)?;
    Ok(result)
}

pub(crate) fn claim(db: &Database, claim: &Claim) -> Result<Vec<OutboxMessage>> {
    update(db, |all| {
        let ids = pick(claim, all.iter().map(|(id, n, s)| (*id, &n.ticket_id, s)));
        let mut changed = Vec::new();
        let mut out = Vec::new();
        for (i, row) in all.iter_mut().enumerate() {
            if ids.contains(&row.0) {
                row.2.lease_until = Some(claim.lease_until);
                row.2.token = Some(claim.token.clone());
                changed.push(i);
                out.push(message(row.clone()));
            }
        }
        (changed, out)
    })
}

pub(crate) fn fail(db: &Database, failure: &Failure) -> Result<()> {
    update(db, |all| {
        let mut changed = Vec::new();
        for (i, row) in all.iter_mut().enumerate() {
            if failure.ids.contains(&row.0) && row.2.dead.is_none() {
                row.2.fail(failure);
                changed.push(i);
            }
        }
        (changed, ())
    })
}

pub(crate) fn dead(db: &Database, limit: u32) -> Result<Vec<DeadLetter>> {
    let txn = db.begin_read().map_err(db_err)?;
    let outbox = txn.open_table(OUTBOX).map_err(db_err)?;
    let delivery = txn.open_table(DELIVERY).map_err(db_err)?;
    Ok(rows(&outbox, &delivery)?
        .into_iter()
        .filter_map(|(id, notification, s)| {
            Some(DeadLetter {
                id,
                attempts: s.attempts,
                reason: s.dead?,
                notification,
            })
        })
        .take(limit as usize)
        .collect())
}

pub(crate) fn requeue(db: &Database, ids: &[u64]) -> Result<u64> {
    update(db, |all| {
        let mut changed = Vec::new();
        for (i, row) in all.iter_mut().enumerate() {
            if ids.contains(&row.0) && row.2.dead.is_some() {
                row.2 = RowState::new(&row.1);
                changed.push(i);
            }
        }
        let n = changed.len() as u64;
        (changed, n)
    })
}
