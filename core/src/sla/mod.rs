//! SLA: policies selected per ticket, clocks computed from the ticket's history on a
//! business calendar, and escalation thresholds.
//!
//! Nothing here is a counter kept alongside the ticket. The ticket carries its
//! [`SlaMark`]s — facts folded from its events (waits and on whom, first answer, solution
//! proposed, finished, support level) — and every figure (elapsed, remaining, due, state)
//! is computed from those marks, the policy and the calendar of the moment. A priority
//! change, a policy change or a calendar change therefore gives the right due instants for
//! tickets already open, paused time included; a reopened ticket continues its clock.
//!
//! Clocks:
//! - **first response** runs from registration until the first public reply by an agent
//!   (or a proposed solution);
//! - **resolution** runs until a solution is proposed; a rejected solution or a reopen
//!   resumes it where it stopped;
//! - **update** (optional) restarts at each public reply by an agent; when it runs out the
//!   requester is told where the ticket stands, again every interval
//!   ([`SlaConfig::status_messages`]);
//! - each pauses while the ticket waits on someone its policy lists (by default the
//!   requester), and while a proposed solution awaits validation.

mod clocks;
mod config;
mod engine;
mod level_durations;
pub mod marks;
mod rules;
mod view;

use serde::{Deserialize, Serialize};

pub use config::{
    Conditions, EscalationAction, EscalationRule, PauseConfig, PolicyConfig, SlaConfig, Target,
    TargetSet,
};
pub use engine::Sla;
pub use marks::{Phase, SlaMark};
pub use view::{Crossing, LevelUsage, SlaState, SlaView, TargetView};

/// An escalation threshold already recorded on a ticket (so `tick` fires it once).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SlaAlertKey {
    /// Which target.
    pub target: Target,
    /// The rule's threshold.
    pub percent: u16,
    /// Which repeat.
    pub repeat: u32,
}
