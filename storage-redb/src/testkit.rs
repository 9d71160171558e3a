//! Helpers for benchmarks and tests (feature `testkit`): load synthetic projections in one
//! transaction, the way the SQL benchmarks load rows with one `INSERT … SELECT`, so that a
//! million-ticket queue can be measured without a million durable commits first.

use foliodesk_core::store::doc::to_json;
use foliodesk_core::{Result, Ticket};
use redb::Database;

use crate::index::{self, terms};
use crate::tables::*;
use crate::{db_err, RedbStore};

impl RedbStore {
    /// The redb database underneath, for raw-engine baselines in the same file.
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// Writes the projections of `tickets` (row, head, folio and secondary index entries;
    /// no events) in one write transaction. For queue benchmarks only: the tickets have no
    /// history, so `history` and `verify` on them say so.
    pub fn load_projections(&self, tickets: impl IntoIterator<Item = Ticket>) -> Result<()> {
        let txn = self.db.begin_write().map_err(db_err)?;
        {
            let mut rows = txn.open_table(TICKETS).map_err(db_err)?;
            let mut index = txn.open_table(INDEX).map_err(db_err)?;
            for t in tickets {
                let id = t.id.as_str();
                let opened = t.milestones.opened_at.map_or(0, |o| o.timestamp_micros());
                for term in terms(&t) {
                    index
                        .insert((term.as_str(), opened, id), ())
                        .map_err(db_err)?;
                }
                let folio = index::folio(&t.folio);
                index.insert((folio.as_str(), 0, id), ()).map_err(db_err)?;
                let body = to_json(&t)?;
                rows.insert(id, (t.version, "", None, body.as_str()))
                    .map_err(db_err)?;
            }
        }
        txn.commit().map_err(db_err)
    }
}
