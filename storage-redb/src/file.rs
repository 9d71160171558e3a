//! Opening the file: creating it, refusing a foreign or newer one, and saying why a file
//! cannot be opened.

use std::path::Path;

use foliodesk_core::{Error, Result};
use redb::{Database, ReadableTable, TableHandle};

use crate::db_err;
use crate::tables::*;

pub(crate) fn open_file(path: &Path, shown: &str) -> Result<Database> {
    let db = Database::create(path).map_err(|e| match e {
        redb::DatabaseError::DatabaseAlreadyOpen => Error::storage(
            format!("`{shown}` is open in another process; redb allows one writer process"),
            e,
        ),
        redb::DatabaseError::Storage(redb::StorageError::Io(io)) => {
            Error::storage(format!("cannot open `{shown}`: {io}"), io)
        }
        other => Error::storage(
            format!("`{shown}` is not a redb database, or it is damaged: {other}"),
            other,
        ),
    })?;
    let txn = db.begin_write().map_err(db_err)?;
    {
        let mut meta = txn.open_table(META).map_err(db_err)?;
        let layout = meta.get("layout").map_err(db_err)?.map(|g| g.value());
        match layout {
            Some(v) if v > LAYOUT_VERSION => {
                return Err(Error::storage_msg(format!(
                    "`{shown}` has Foliodesk layout version {v}, newer than this build's \
                     {LAYOUT_VERSION}; upgrade Foliodesk to open it"
                )))
            }
            Some(v) if v < LAYOUT_VERSION => {
                if v == 1 {
                    // Layout 1 outbox rows named their recipients in a form nothing reads
                    // any more, and nothing could deliver them: dropped (layout 2).
                    txn.delete_table(OUTBOX).map_err(db_err)?;
                }
                // Layout 3 adds articles and search tables, created below; the desk
                // indexes what was stored before (its analyser version is missing).
                // Layout 4 adds report facts, which the desk likewise derives on open.
                // Layout 5 adds blocks of packed facts, the index of finished rows and the
                // live pulses (written when the desk rewrites its facts, FACTS_VERSION 2).
                if v == 4 {
                    crate::facts::index_finished(&txn)?;
                }
                meta.insert("layout", LAYOUT_VERSION).map_err(db_err)?;
            }
            Some(_) => {}
            None => {
                let foreign: Vec<String> = txn
                    .list_tables()
                    .map_err(db_err)?
                    .map(|h| h.name().to_owned())
                    .filter(|n| n != "meta")
                    .collect();
                if !foreign.is_empty() {
                    return Err(Error::storage_msg(format!(
                        "`{shown}` holds tables Foliodesk did not create ({}); use another file",
                        foreign.join(", ")
                    )));
                }
                meta.insert("layout", LAYOUT_VERSION).map_err(db_err)?;
            }
        }
        // Create every table so readers never meet a missing one.
        txn.open_table(TICKETS).map_err(db_err)?;
        txn.open_table(EVENTS).map_err(db_err)?;
        txn.open_table(COUNTERS).map_err(db_err)?;
        txn.open_table(INDEX).map_err(db_err)?;
        txn.open_table(OUTBOX).map_err(db_err)?;
        txn.open_table(DELIVERY).map_err(db_err)?;
        txn.open_table(USERS).map_err(db_err)?;
        txn.open_table(ORGANISATIONS).map_err(db_err)?;
        txn.open_table(TEAMS).map_err(db_err)?;
        txn.open_table(CONFIG).map_err(db_err)?;
        txn.open_table(ARTICLES).map_err(db_err)?;
        txn.open_table(SEARCH_DOCS).map_err(db_err)?;
        txn.open_table(POSTINGS).map_err(db_err)?;
        txn.open_table(FACTS).map_err(db_err)?;
        txn.open_table(LIVE_FACTS).map_err(db_err)?;
        txn.open_table(DONE_FACTS).map_err(db_err)?;
        txn.open_table(LIVE_PULSE).map_err(db_err)?;
        txn.open_table(FACT_BLOCKS).map_err(db_err)?;
    }
    txn.commit().map_err(db_err)?;
    Ok(db)
}
