//! Folding what concerns problem management: a problem's record, an incident's link.

use chrono::{DateTime, Utc};

use super::Ticket;
use crate::event::Event;
use crate::problem::{ProblemRecord, ProblemState};
use crate::vocabulary::TicketKind;

impl Ticket {
    /// The problem side of `event` (run after the general fold, so `kind` and `status` are
    /// already the new ones).
    pub(super) fn fold_problem(&mut self, event: &Event, at: DateTime<Utc>) {
        match event {
            Event::ProblemUpdated {
                root_cause,
                workaround,
                state,
            } => {
                let record = self.problem.get_or_insert_with(ProblemRecord::new);
                record.root_cause.clone_from(root_cause);
                record.workaround.clone_from(workaround);
                if *state == ProblemState::KnownError && record.known_error_at.is_none() {
                    record.known_error_at = Some(at);
                }
                record.state = *state;
            }
            Event::ProblemLinked { problem } => self.problem_id = Some(problem.clone()),
            Event::ProblemUnlinked { .. } => self.problem_id = None,
            Event::Reclassified { kind, .. } => {
                if *kind == TicketKind::Problem {
                    // `decide` unlinked it first (a problem is no incident of another).
                    self.problem.get_or_insert_with(ProblemRecord::new);
                } else {
                    self.problem = None;
                }
            }
            Event::SolutionProposed { .. } => {
                if let Some(record) = self.problem.as_mut() {
                    record.state = ProblemState::Resolved;
                }
            }
            Event::SolutionRejected { .. } | Event::Reopened { .. } => {
                if let Some(record) = self.problem.as_mut() {
                    record.state = record.unresolved();
                }
            }
            _ => {}
        }
    }
}
