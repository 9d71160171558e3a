//! Sealing an import batch ([`Store::import`](super::Store::import)) the same way on every
//! backend: which requests are written, the folio numbers they draw, and their events.

use std::collections::{BTreeMap, HashSet};

use super::{seal_quietly, AppendEvents, FolioKey, Sealed};
use crate::{Error, Result, TicketId};

/// A sealed import batch: per request, what to write (`None`: the ticket is stored
/// already, or came earlier in the batch), and each folio counter's new last number.
#[derive(Debug, Default)]
pub struct SealedBatch {
    /// Per request, in order.
    pub sealed: Vec<Option<Sealed>>,
    /// The counters drawn from, with the last number drawn.
    pub counters: BTreeMap<FolioKey, u64>,
}

impl SealedBatch {
    /// What [`Store::import`](super::Store::import) answers: the folio of each written ticket.
    pub fn folios(&self) -> Vec<Option<String>> {
        (self.sealed.iter())
            .map(|s| s.as_ref().map(|s| s.ticket.folio.clone()))
            .collect()
    }
}

/// Seals `batch`: `exists` says whether a ticket id is stored, `last` a counter's stored
/// last number (0 if never drawn). Nothing is written here, so a refusal leaves nothing.
pub fn seal_batch(
    batch: &[AppendEvents],
    mut exists: impl FnMut(&TicketId) -> Result<bool>,
    mut last: impl FnMut(&FolioKey) -> Result<u64>,
) -> Result<SealedBatch> {
    let mut out = SealedBatch::default();
    let mut seen = HashSet::with_capacity(batch.len());
    for (i, req) in batch.iter().enumerate() {
        let Some(key) = req.folio.as_ref().filter(|_| is_new(req)) else {
            return Err(Error::validation(
                format!("batch[{i}]"),
                "an import only opens tickets: version 0, no base, a folio key",
            ));
        };
        if !seen.insert(&req.ticket_id) || exists(&req.ticket_id)? {
            out.sealed.push(None);
            continue;
        }
        let next = match out.counters.get(key) {
            Some(n) => n + 1,
            None => last(key)? + 1,
        };
        out.sealed
            .push(Some(seal_quietly(req, 0, None, Some(next))?));
        out.counters.insert(key.clone(), next);
    }
    Ok(out)
}

fn is_new(req: &AppendEvents) -> bool {
    req.expected_version == 0 && req.base.is_none()
}
