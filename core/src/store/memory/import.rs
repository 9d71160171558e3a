//! The memory store's import: the whole batch sealed under the lock, then written.

use super::{Inner, Stored};
use crate::store::batch::seal_batch;
use crate::store::AppendEvents;
use crate::Result;

impl Inner {
    pub(super) fn import(&mut self, batch: &[AppendEvents]) -> Result<Vec<Option<String>>> {
        let sealed = seal_batch(
            batch,
            |id| Ok(self.tickets.contains_key(id)),
            |key| Ok(self.counters.get(key).copied().unwrap_or(0)),
        )?;
        let folios = sealed.folios();
        self.counters.extend(sealed.counters);
        for (req, s) in batch.iter().zip(sealed.sealed) {
            let Some(s) = s else { continue };
            if let Some(doc) = &req.index {
                self.search.put(doc.clone());
            }
            if let Some(fact) = &req.fact {
                self.put_fact(fact.clone());
            }
            let id = s.ticket.id.clone();
            self.by_folio.insert(s.ticket.folio.clone(), id.clone());
            self.move_due(&id, None, s.due_at);
            let stored = Stored {
                ticket: Some(s.ticket),
                events: s.envelopes,
                due_at: s.due_at,
            };
            self.tickets.insert(id, stored);
        }
        Ok(folios)
    }
}
