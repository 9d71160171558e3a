//! The clock-relevant facts of a ticket's history, folded from its events: when it waited
//! and on whom, when it was first answered, solved, finished, updated, and at which support
//! level. Facts only — no targets, no counters — so any policy and calendar can be applied
//! to them later, including ones that changed since.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::event::Event;
use crate::status::{SupportLevel, WaitingOn};
use crate::vocabulary::Visibility;

/// What the ticket was doing from a mark on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "phase", content = "on")]
pub enum Phase {
    /// Being worked on.
    Working,
    /// Pending, waiting on someone.
    Waiting(WaitingOn),
    /// A solution was proposed and awaits the requester's validation.
    Validating,
    /// Confirmed, closed or cancelled.
    Finished,
}

/// From `at` on, until the next mark: the phase, whether an agent has answered yet, the
/// support level, and whether this mark is a public update by an agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SlaMark {
    /// When this state began.
    pub at: DateTime<Utc>,
    /// What the ticket was doing.
    pub phase: Phase,
    /// Whether an agent had answered publicly (or proposed a solution) by then.
    pub responded: bool,
    /// The support level working the ticket.
    pub level: SupportLevel,
    /// This mark is a public update by an agent (restarts the update-interval clock).
    pub updated: bool,
}

/// Folds one event into the marks (the first event, `opened`, starts them). True when the
/// event is a public update by an agent, which restarts the update-interval clock.
pub fn fold(
    marks: &mut Vec<SlaMark>,
    event: &Event,
    at: DateTime<Utc>,
    level: SupportLevel,
) -> bool {
    let Some(last) = marks.last().copied() else {
        if let Event::Opened(o) = event {
            marks.push(SlaMark {
                at,
                phase: Phase::Working,
                responded: false,
                level: o.level,
                updated: false,
            });
        }
        return false;
    };
    let mut next = SlaMark {
        at,
        updated: false,
        level,
        ..last
    };
    match event {
        Event::Commented {
            by_staff: true,
            visibility: Visibility::Public,
            ..
        } => {
            next.responded = true;
            next.updated = true;
        }
        Event::PendingSet { waiting_on, .. } => next.phase = Phase::Waiting(*waiting_on),
        Event::Resumed { .. } | Event::SolutionRejected { .. } | Event::Reopened { .. } => {
            next.phase = Phase::Working;
        }
        Event::SolutionProposed { .. } => {
            next.phase = Phase::Validating;
            next.responded = true;
            next.updated = true;
        }
        Event::SolutionConfirmed { .. } | Event::Closed { .. } | Event::Cancelled { .. } => {
            next.phase = Phase::Finished;
        }
        _ => {}
    }
    let same = SlaMark {
        at: last.at,
        ..next
    } == last;
    // Each public update is its own mark even when nothing else changed: the update
    // clock restarts at the latest one, not the first of a run.
    if !same || next.updated {
        marks.push(next);
    }
    next.updated
}
