//! The trend: per day, week or month of the window, the tickets opened, how many were
//! resolved, their mean business resolution time and their SLA compliance. And the backlog:
//! the tickets still in hand at the report's instant, by age.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::block::Row;
use super::fact::{Fact, TargetFact};
use super::stats::{round3, Rate, Tally};

/// One bucket of the series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Point {
    /// The local date the bucket starts on.
    pub start: NaiveDate,
    /// Tickets opened in it.
    pub opened: u64,
    /// Of those, resolved.
    pub resolved: u64,
    /// Their mean business resolution time, seconds.
    pub resolution_mean: f64,
    /// Their SLA compliance, all targets.
    pub sla: Rate,
}

/// Accumulates one bucket.
#[derive(Default)]
pub struct PointFold {
    opened: u64,
    resolved: u64,
    seconds: u64,
    sla: Tally,
}

impl PointFold {
    /// Adds a ticket's row and targets as they stand at `now`.
    pub fn add(&mut self, row: &Row, targets: &[TargetFact], now: i64) {
        self.opened += 1;
        if let (Some(_), Some(b)) = (row.resolved, row.resolution_business) {
            self.resolved += 1;
            self.seconds += u64::from(b);
        }
        for t in targets.iter().filter(|t| t.settled_at(now)) {
            if t.breached_at(now) {
                self.sla.breached += 1;
            } else {
                self.sla.met += 1;
            }
        }
    }

    /// The point starting on `start`.
    pub fn finish(self, start: NaiveDate) -> Point {
        Point {
            start,
            opened: self.opened,
            resolved: self.resolved,
            resolution_mean: if self.resolved == 0 {
                0.0
            } else {
                round3(self.seconds as f64 / self.resolved as f64)
            },
            sla: self.sla.compliance(),
        }
    }
}

/// The ages the backlog is cut at, in hours: under a day, 1–3 days, 3–7, 7–30, older.
pub const AGE_LIMITS_HOURS: [i64; 4] = [24, 72, 168, 720];

/// Labels of the age buckets.
pub const AGE_LABELS: [&str; 5] = ["<1d", "1-3d", "3-7d", "7-30d", ">30d"];

/// Tickets in hand (new, open, pending) at the report's instant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Backlog {
    /// In hand, in all.
    pub total: u64,
    /// By age since registration, cut at [`AGE_LABELS`].
    pub by_age: [u64; 5],
    /// Proposed solutions awaiting the requester's validation (not in hand).
    pub validating: u64,
}

impl Backlog {
    /// Adds a live fact at `now` (microseconds).
    pub fn add(&mut self, fact: &Fact, now: i64) {
        if fact.status == crate::status::Status::Resolved {
            self.validating += 1;
        }
        if !fact.status.is_active() {
            return;
        }
        self.total += 1;
        let hours = (now - fact.opened).max(0) / 3_600_000_000;
        let i = AGE_LIMITS_HOURS.partition_point(|l| *l <= hours);
        self.by_age[i] += 1;
    }
}
