//! Classify (seed step 4) after intake: a new kind and/or category, by hand.

use crate::event::Event;
use crate::vocabulary::TicketKind;
use crate::{Error, Result};

use crate::decide::Decision;

impl Decision<'_> {
    pub(crate) fn reclassify(
        &self,
        kind: Option<TicketKind>,
        category: Option<&String>,
    ) -> Result<Vec<Event>> {
        let category = match category {
            Some(path) => Some(self.ctx.config.category("category", path)?),
            None => self.ticket.category.clone(),
        };
        let kind = kind.unwrap_or(self.ticket.kind);
        if kind == self.ticket.kind && category == self.ticket.category {
            return Err(Error::validation("category", "nothing to change"));
        }
        let mut events = Vec::with_capacity(2);
        // A problem is not the incident of another problem: the link goes, and says so.
        if let (TicketKind::Problem, Some(problem)) = (kind, &self.ticket.problem_id) {
            events.push(Event::ProblemUnlinked {
                problem: problem.clone(),
            });
        }
        events.push(Event::Reclassified {
            kind,
            category,
            confidence: None,
        });
        Ok(events)
    }
}
