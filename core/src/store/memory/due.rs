//! The memory store's due index: `due` reads only what is due, as the durable backends do.

use chrono::{DateTime, Utc};

use super::Inner;
use crate::TicketId;

impl Inner {
    pub(super) fn move_due(
        &mut self,
        id: &TicketId,
        old: Option<DateTime<Utc>>,
        new: Option<DateTime<Utc>>,
    ) {
        if old != new {
            if let Some(d) = old {
                self.due.remove(&(d, id.clone()));
            }
            if let Some(d) = new {
                self.due.insert((d, id.clone()));
            }
        }
    }
}
