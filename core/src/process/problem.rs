//! Problems (seeds 001, 002): a problem's record — root cause, workaround, known error —
//! and an incident's link to its problem. That the linked ticket exists and is a problem is
//! the desk's to check (a decision sees one ticket); the rules of each side are here.

use crate::decide::{text, Decision, MAX_TEXT};
use crate::event::Event;
use crate::problem::{ProblemState, ProblemUpdate};
use crate::status::Status;
use crate::vocabulary::TicketKind;
use crate::{Error, Result, TicketId};

impl Decision<'_> {
    pub(crate) fn update_problem(&self, update: &ProblemUpdate) -> Result<Vec<Event>> {
        let t = self.ticket;
        if t.kind != TicketKind::Problem {
            return Err(Error::validation(
                "kind",
                format!(
                    "{} is a {}; only a problem has a root cause",
                    t.folio, t.kind
                ),
            ));
        }
        let before = t.problem.clone().unwrap_or_default();
        let field = |name: &str, v: &Option<String>, was: &Option<String>| match v {
            Some(v) => text(name, v, MAX_TEXT).map(Some),
            None => Ok(was.clone()),
        };
        let root_cause = field("root_cause", &update.root_cause, &before.root_cause)?;
        let workaround = field("workaround", &update.workaround, &before.workaround)?;
        let state = match update.state {
            None => before.state,
            Some(ProblemState::Resolved) => {
                return Err(Error::validation(
                    "state",
                    "a problem is resolved by proposing its solution",
                ))
            }
            Some(_) if t.status == Status::Resolved => {
                return Err(Error::validation(
                    "state",
                    "the problem's solution is proposed; rejecting it reopens the analysis",
                ))
            }
            Some(s) => s,
        };
        if state == ProblemState::KnownError && (root_cause.is_none() || workaround.is_none()) {
            let missing = if root_cause.is_none() {
                "root_cause"
            } else {
                "workaround"
            };
            return Err(Error::validation(
                missing,
                "a known error needs its root cause and a workaround",
            ));
        }
        let after = (&root_cause, &workaround, state);
        if after == (&before.root_cause, &before.workaround, before.state) {
            return Err(Error::validation("update", "changes nothing"));
        }
        Ok(vec![Event::ProblemUpdated {
            root_cause,
            workaround,
            state,
        }])
    }

    pub(crate) fn link_problem(&self, problem: &TicketId) -> Result<Vec<Event>> {
        let t = self.ticket;
        if t.kind == TicketKind::Problem {
            return Err(Error::validation(
                "ticket",
                format!("{} is a problem; incidents are linked to problems", t.folio),
            ));
        }
        if problem == &t.id {
            return Err(Error::validation(
                "problem",
                "a ticket is not its own problem",
            ));
        }
        if t.problem_id.as_ref() == Some(problem) {
            return Err(Error::validation(
                "problem",
                format!("{} is already linked to `{problem}`", t.folio),
            ));
        }
        let mut events = Vec::with_capacity(2);
        // Moving to another problem is an unlink and a link: each side's history says so.
        if let Some(old) = &t.problem_id {
            events.push(Event::ProblemUnlinked {
                problem: old.clone(),
            });
        }
        events.push(Event::ProblemLinked {
            problem: problem.clone(),
        });
        Ok(events)
    }

    pub(crate) fn unlink_problem(&self) -> Result<Vec<Event>> {
        match &self.ticket.problem_id {
            Some(problem) => Ok(vec![Event::ProblemUnlinked {
                problem: problem.clone(),
            }]),
            None => Err(Error::validation(
                "problem",
                format!("{} is not linked to a problem", self.ticket.folio),
            )),
        }
    }
}
