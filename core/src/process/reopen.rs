//! Reopen (seed step 13): a closed ticket, within the configured window.

use crate::event::Event;
use crate::{Error, Result};

use crate::decide::{text, Decision, MAX_TEXT};

impl Decision<'_> {
    pub(crate) fn reopen(&self, reason: &str) -> Result<Vec<Event>> {
        let closed = self.ticket.milestones.closed_at.unwrap_or(self.ctx.now);
        if self.ctx.now - closed > self.ctx.config.reopen_window() {
            return Err(Error::validation(
                "reopen_window",
                format!("the ticket was closed at {closed}, outside the reopen window"),
            ));
        }
        Ok(vec![Event::Reopened {
            reason: text("reason", reason, MAX_TEXT)?,
        }])
    }
}
