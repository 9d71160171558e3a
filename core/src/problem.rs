//! Problem management (seeds 001, 002): a problem (`PRB` folio) is a ticket of kind
//! `problem` that looks for the root cause of one or more incidents. It carries the root
//! cause and a workaround; once both are known it is a *known error*, whose workaround the
//! desk offers on every linked and similar incident. Solving the problem proposes its
//! solution to its open incidents, each validated by its own requester.
//!
//! Incidents point at their problem ([`crate::Ticket::problem_id`], set by
//! `link_problem`); the problem's incidents are found through the search index, where an
//! incident's document carries a link term ([`link_term`]) written in the same transaction
//! as the link.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::vocab::string_enum;
use crate::{Error, Result, TicketId};

pub mod repeats;

string_enum!(
    /// Where a problem's investigation stands.
    ProblemState, "problem.state" {
        /// The cause is being looked for.
        Analysis = "analysis",
        /// The root cause and a workaround are known (ITIL known error).
        KnownError = "known_error",
        /// A solution was proposed (the problem ticket is resolved or later).
        Resolved = "resolved",
    }
);

/// What a problem ticket knows of its cause.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProblemRecord {
    /// Where the investigation stands.
    pub state: ProblemState,
    /// Why the incidents happen, once found.
    pub root_cause: Option<String>,
    /// How to get users working again until the problem is solved.
    pub workaround: Option<String>,
    /// When it became a known error (kept when it is later resolved).
    pub known_error_at: Option<DateTime<Utc>>,
}

impl ProblemRecord {
    /// A problem just opened: in analysis, nothing known.
    pub fn new() -> ProblemRecord {
        ProblemRecord {
            state: ProblemState::Analysis,
            root_cause: None,
            workaround: None,
            known_error_at: None,
        }
    }

    /// The state to go back to when its solution is rejected or it is reopened.
    pub fn unresolved(&self) -> ProblemState {
        match self.known_error_at {
            Some(_) => ProblemState::KnownError,
            None => ProblemState::Analysis,
        }
    }
}

impl Default for ProblemRecord {
    fn default() -> Self {
        ProblemRecord::new()
    }
}

/// A change to a problem's record: what is `None` stays as it is.
///
/// ```
/// use foliodesk_core::problem::{ProblemState, ProblemUpdate};
/// let u = ProblemUpdate {
///     root_cause: Some("DHCP pool exhausted on VLAN 20".into()),
///     workaround: Some("Use a fixed address from the reserve list".into()),
///     state: Some(ProblemState::KnownError),
/// };
/// assert!(u.state.is_some());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ProblemUpdate {
    /// The root cause found.
    pub root_cause: Option<String>,
    /// The workaround to offer.
    pub workaround: Option<String>,
    /// `analysis` or `known_error` (a problem is resolved by proposing its solution).
    pub state: Option<ProblemState>,
}

/// Repeated-incident detection: this many similar incidents within the window suggest a
/// problem (`[problems]` in the configuration).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ProblemsConfig {
    /// How many similar incidents make a repeat (default 3, at least 2).
    pub repeats: u32,
    /// Within how many days of each other, counted back from now (default 7).
    pub window_days: u32,
    /// How alike two incidents must be, in percent of shared terms of their title and
    /// description (Jaccard; default 50).
    pub similarity_percent: u8,
}

impl Default for ProblemsConfig {
    fn default() -> Self {
        ProblemsConfig {
            repeats: 3,
            window_days: 7,
            similarity_percent: 50,
        }
    }
}

impl ProblemsConfig {
    /// Checks the numbers make sense.
    pub fn validate(&self) -> Result<()> {
        if self.repeats < 2 {
            return Err(Error::validation(
                "problems.repeats",
                "an incident repeats when there are 2 or more",
            ));
        }
        if self.window_days == 0 {
            return Err(Error::validation(
                "problems.window_days",
                "must be at least 1",
            ));
        }
        if !(1..=100).contains(&self.similarity_percent) {
            return Err(Error::validation(
                "problems.similarity_percent",
                "must be between 1 and 100",
            ));
        }
        Ok(())
    }
}

/// The search-index term an incident linked to `problem` carries. It starts with a control
/// character, which text analysis never produces, so no search can match it by accident.
///
/// ```
/// use foliodesk_core::{problem::link_term, TicketId};
/// assert!(link_term(&TicketId::new("p1")).ends_with("p1"));
/// ```
pub fn link_term(problem: &TicketId) -> String {
    format!("\u{1}problem\u{1}{problem}")
}

/// The search-index term a problem in the known-error state carries, so that similar known
/// errors are found among the problems alone.
pub const KNOWN_ERROR_TERM: &str = "\u{1}known_error";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_name_their_field() {
        let field = |c: ProblemsConfig| match c.validate() {
            Err(Error::Validation { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        let base = ProblemsConfig::default();
        assert!(base.validate().is_ok());
        let c = ProblemsConfig {
            repeats: 1,
            ..base.clone()
        };
        assert_eq!(field(c), "problems.repeats");
        let c = ProblemsConfig {
            window_days: 0,
            ..base.clone()
        };
        assert_eq!(field(c), "problems.window_days");
        let c = ProblemsConfig {
            similarity_percent: 101,
            ..base
        };
        assert_eq!(field(c), "problems.similarity_percent");
    }
}
