//! Recurrence (seed 004, tickets created from an event): the same condition reported again
//! under the ticket's correlation key counts on the ticket instead of opening another, and
//! its source saying it cleared is recorded — and, on an open ticket, proposed as its
//! solution (`intake.events.resolve_on_recovery`), which the requester or the
//! auto-confirmation still validates. A repeat after a solution was proposed means the
//! solution did not hold.

use crate::decide::{text, Decision, MAX_TEXT};
use crate::event::Event;
use crate::status::Status;
use crate::Result;

impl Decision<'_> {
    pub(crate) fn recur(&self, summary: &str, cleared: bool) -> Result<Vec<Event>> {
        let summary = text("summary", summary, MAX_TEXT)?;
        let occurrences = match cleared {
            true => self.ticket.occurrences,
            false => self.ticket.occurrences.saturating_add(1),
        };
        let mut events = vec![Event::Recurred {
            occurrences,
            summary: summary.clone(),
            cleared,
        }];
        let status = self.ticket.status;
        if !cleared && status == Status::Resolved {
            // The repeat itself is the reason; the `recurred` event beside it says so.
            events.push(Event::SolutionRejected { reason: summary });
        } else if cleared
            && status == Status::Open
            && self.ctx.config.intake.events.resolve_on_recovery
        {
            // A security incident needs its record first: then the recovery is only noted.
            if let Ok(solved) = self.propose_solution(&summary) {
                events.extend(solved);
            }
        }
        Ok(events)
    }
}
