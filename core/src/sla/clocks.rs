//! One SLA target's clock: the intervals it ran (at which support level) and where it
//! stopped, folded from the ticket's marks; business time elapsed on it, and the instant it
//! reaches an amount. (Not [`crate::Clock`], which tells the desk the time.)

use chrono::{DateTime, Duration, Utc};

use super::config::Target;
use super::marks::{Phase, SlaMark};
use crate::calendar::Calendar;
use crate::status::{SupportLevel, WaitingOn};

/// A running interval of a clock, at one level.
#[derive(Clone, Copy, Debug)]
pub(super) struct Run {
    pub from: DateTime<Utc>,
    pub to: Option<DateTime<Utc>>,
    pub level: SupportLevel,
}

/// A clock's runs and its final stop.
pub(super) struct TargetClock {
    pub runs: Vec<Run>,
    pub stopped_at: Option<DateTime<Utc>>,
}

impl TargetClock {
    /// Counting now: not stopped for good, and its last run still open.
    pub(super) fn running(&self) -> bool {
        self.stopped_at.is_none() && self.runs.last().is_some_and(|r| r.to.is_none())
    }
}

/// `start + step × n`: the `n`th repeat of a threshold (`None` when out of range).
pub(super) fn threshold(start: Duration, step: Option<Duration>, n: u32) -> Option<Duration> {
    let n = i32::try_from(n).ok()?;
    start.checked_add(&step.unwrap_or_default().checked_mul(n)?)
}

/// The runs of `target`'s clock from the marks, and its final stop.
pub(super) fn clock(marks: &[SlaMark], target: Target, pauses: &[WaitingOn]) -> TargetClock {
    let counts = |m: &SlaMark| {
        let working = match m.phase {
            Phase::Working => true,
            Phase::Waiting(w) => !pauses.contains(&w),
            Phase::Validating | Phase::Finished => false,
        };
        working && !(target == Target::FirstResponse && m.responded)
    };
    // The update clock restarts at each public update.
    let from = match target {
        Target::Update => marks.iter().rposition(|m| m.updated).unwrap_or(0),
        _ => 0,
    };
    let marks = &marks[from..];
    let mut runs: Vec<Run> = Vec::new();
    for (i, m) in marks.iter().enumerate() {
        if !counts(m) {
            continue;
        }
        let to = marks.get(i + 1).map(|n| n.at);
        match runs.last_mut() {
            // Consecutive counting marks at the same level are one run.
            Some(r) if r.to == Some(m.at) && r.level == m.level => r.to = to,
            _ => runs.push(Run {
                from: m.at,
                to,
                level: m.level,
            }),
        }
    }
    let stopped_at = match target {
        Target::FirstResponse => marks
            .iter()
            .find(|m| m.responded || m.phase == Phase::Finished)
            .map(|m| m.at),
        Target::Resolution | Target::Update => {
            let tail = marks
                .iter()
                .rev()
                .take_while(|m| matches!(m.phase, Phase::Validating | Phase::Finished))
                .last();
            tail.map(|m| m.at)
        }
    };
    TargetClock { runs, stopped_at }
}

/// Business time the clock counted up to `until`.
pub(super) fn elapsed(cal: &Calendar, clock: &TargetClock, until: DateTime<Utc>) -> Duration {
    clock
        .runs
        .iter()
        .map(|r| {
            let to = r.to.map_or(until, |t| t.min(until));
            if to > r.from {
                cal.business_time_between(r.from, to)
            } else {
                Duration::zero()
            }
        })
        .sum()
}

/// The instant at which the clock reaches `amount` of business time: inside a past run,
/// or ahead in the open run; `None` when it stops or pauses short of it.
pub(super) fn instant_at(
    cal: &Calendar,
    clock: &TargetClock,
    amount: Duration,
) -> Option<DateTime<Utc>> {
    let mut acc = Duration::zero();
    for r in &clock.runs {
        match r.to {
            Some(to) => {
                let span = cal.business_time_between(r.from, to);
                if acc + span >= amount && amount > acc {
                    return cal.add_business_time(r.from, amount - acc).ok();
                }
                if acc + span >= amount {
                    return Some(r.from.max(cal.next_open(r.from).ok()?));
                }
                acc += span;
            }
            None => {
                return cal
                    .add_business_time(r.from, (amount - acc).max(Duration::zero()))
                    .ok()
            }
        }
    }
    None
}
