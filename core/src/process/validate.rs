//! Validate (seed step 10): the requester's confirmation, or the desk's after the delay
//! (without owner review it also closes, unless a security record is incomplete); or the
//! requester's rejection.

use crate::event::Event;
use crate::security::SecurityStep;
use crate::{Error, Result};

use crate::decide::{text, Decision, MAX_TEXT};

impl Decision<'_> {
    pub(crate) fn confirmed(&self, auto: bool) -> Vec<Event> {
        let mut events = vec![Event::SolutionConfirmed { auto }];
        // A security incident whose record is not complete waits for a person to close it.
        let record_complete = (self.ctx.config.security)
            .missing(self.ticket, SecurityStep::Close)
            .is_empty();
        if !self.ctx.config.lifecycle.require_owner_review && record_complete {
            events.push(Event::Closed {
                note: Some("closed without owner review".to_owned()),
            });
        }
        events
    }
}

impl Decision<'_> {
    /// The desk confirms a solution nobody answered within the configured delay.
    pub(crate) fn auto_confirm(&self) -> Result<Vec<Event>> {
        let resolved = self.ticket.milestones.resolved_at;
        match resolved.map(|t| t + self.ctx.config.auto_confirm_after()) {
            Some(due) if due <= self.ctx.now => Ok(self.confirmed(true)),
            Some(due) => Err(Error::validation(
                "now",
                format!("auto-confirm is due at {due}"),
            )),
            None => Err(Error::storage_msg(
                "a resolved ticket has no resolution time",
            )),
        }
    }

    /// Not solved: back to analysis, counted as a reopening.
    pub(crate) fn reject_solution(&self, reason: &str) -> Result<Vec<Event>> {
        Ok(vec![Event::SolutionRejected {
            reason: text("reason", reason, MAX_TEXT)?,
        }])
    }
}
