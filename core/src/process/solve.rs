//! Solve (seed step 9): the technician proposes a solution; a security incident needs its
//! discovery recorded first.

use crate::event::Event;
use crate::security::SecurityStep;
use crate::Result;

use crate::decide::{text, Decision, MAX_TEXT};

impl Decision<'_> {
    pub(crate) fn propose_solution(&self, solution: &str) -> Result<Vec<Event>> {
        self.ctx
            .config
            .security
            .check(self.ticket, SecurityStep::Resolve)?;
        Ok(vec![Event::SolutionProposed {
            solution: text("solution", solution, MAX_TEXT)?,
        }])
    }
}
