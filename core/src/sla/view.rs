//! What the SLA engine reports: views of a ticket's targets at an instant, and the
//! escalation thresholds it crosses.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::config::{EscalationAction, Target};
use crate::status::SupportLevel;

/// Durations serialise as whole seconds (the bindings' and JSON readers' unit).
mod seconds {
    use chrono::Duration;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(d.num_seconds())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        Ok(Duration::seconds(i64::deserialize(d)?))
    }

    pub mod option {
        use chrono::Duration;
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.serialize_some(&d.num_seconds()),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
            Ok(Option::<i64>::deserialize(d)?.map(Duration::seconds))
        }
    }
}

/// How a target stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SlaState {
    /// The clock runs and less than the at-risk share is used.
    Running,
    /// The clock runs and at least the at-risk share is used.
    AtRisk,
    /// The clock is paused (a wait that pauses it).
    Paused,
    /// Stopped within the target.
    Met,
    /// Past the target (running or stopped).
    Breached,
}

/// Business time one support level used of the resolution clock, next to its budget.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LevelUsage {
    /// The level.
    pub level: SupportLevel,
    /// Business time the clock ran while this level worked the ticket.
    #[serde(with = "seconds")]
    #[schemars(with = "crate::schema::Seconds")]
    pub used: Duration,
    /// The policy's internal budget for the level, if any.
    #[serde(with = "seconds::option")]
    #[schemars(with = "Option<crate::schema::Seconds>")]
    pub budget: Option<Duration>,
}

/// One target of one ticket, at one instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TargetView {
    /// Which target.
    pub target: Target,
    /// The target itself (business time).
    #[serde(with = "seconds")]
    #[schemars(with = "crate::schema::Seconds")]
    pub budget: Duration,
    /// When it is (or was) due; `None` while paused short of it.
    pub due: Option<DateTime<Utc>>,
    /// Business time counted so far.
    #[serde(with = "seconds")]
    #[schemars(with = "crate::schema::Seconds")]
    pub elapsed: Duration,
    /// Business time left (negative once breached).
    #[serde(with = "seconds")]
    #[schemars(with = "crate::schema::Seconds")]
    pub remaining: Duration,
    /// Where it stands.
    pub state: SlaState,
    /// When the clock stopped for good (answered, solution proposed, finished).
    pub stopped_at: Option<DateTime<Utc>>,
    /// Per support level (resolution only).
    pub levels: Vec<LevelUsage>,
}

/// A ticket's SLA at one instant: the policy, the calendar, and every target it has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SlaView {
    /// The policy applied.
    pub policy: String,
    /// The calendar the times count in (`always` when the policy names none).
    pub calendar: String,
    /// The instant this view describes.
    pub at: DateTime<Utc>,
    /// The targets the policy sets for the ticket's priority.
    pub targets: Vec<TargetView>,
}

impl SlaView {
    /// The view of one target, if the policy sets it.
    pub fn target(&self, target: Target) -> Option<&TargetView> {
        self.targets.iter().find(|t| t.target == target)
    }
}

/// An escalation rule's threshold, crossed (or to be crossed) at an instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Crossing {
    /// When the threshold is reached.
    pub at: DateTime<Utc>,
    /// Which target.
    pub target: Target,
    /// The rule's threshold in percent.
    pub percent: u16,
    /// 0 the first time, then 1, 2… for each `repeat_every`.
    pub repeat: u32,
    /// What the rule does.
    pub actions: Vec<EscalationAction>,
}
