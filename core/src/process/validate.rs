//! Validate (seed step 10): the requester's confirmation, or the desk's after the delay;
//! without owner review it also closes, unless a security record is incomplete.

use crate::event::Event;
use crate::security::SecurityStep;

use crate::decide::Decision;

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
