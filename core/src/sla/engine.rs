//! The SLA engine: the policy and calendar that apply to a ticket, each target's clock
//! computed from the ticket's marks, and the escalation thresholds it crosses.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::config::{priority_key, EscalationAction, PolicyConfig, SlaConfig, Target};
use super::marks::{Phase, SlaMark};
use crate::calendar::{Calendar, CalendarSpec};
use crate::error::Result;
use crate::status::{SupportLevel, WaitingOn};
use crate::ticket::Ticket;

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelUsage {
    /// The level.
    pub level: SupportLevel,
    /// Business time the clock ran while this level worked the ticket.
    #[serde(with = "seconds")]
    pub used: Duration,
    /// The policy's internal budget for the level, if any.
    #[serde(with = "seconds::option")]
    pub budget: Option<Duration>,
}

/// One target of one ticket, at one instant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetView {
    /// Which target.
    pub target: Target,
    /// The target itself (business time).
    #[serde(with = "seconds")]
    pub budget: Duration,
    /// When it is (or was) due; `None` while paused short of it.
    pub due: Option<DateTime<Utc>>,
    /// Business time counted so far.
    #[serde(with = "seconds")]
    pub elapsed: Duration,
    /// Business time left (negative once breached).
    #[serde(with = "seconds")]
    pub remaining: Duration,
    /// Where it stands.
    pub state: SlaState,
    /// When the clock stopped for good (answered, solution proposed, finished).
    pub stopped_at: Option<DateTime<Utc>>,
    /// Per support level (resolution only).
    pub levels: Vec<LevelUsage>,
}

/// A ticket's SLA at one instant: the policy, the calendar, and every target it has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// The SLA configuration compiled for evaluation: calendars built, holiday sets merged.
#[derive(Clone, Debug)]
pub struct Sla {
    config: SlaConfig,
    calendars: BTreeMap<String, Calendar>,
    always: Calendar,
}

/// A running interval of a clock, at one level.
#[derive(Clone, Copy, Debug)]
struct Run {
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
    level: SupportLevel,
}

/// A clock's runs and its final stop.
struct Clock {
    runs: Vec<Run>,
    stopped_at: Option<DateTime<Utc>>,
}

impl Clock {
    /// Counting now: not stopped for good, and its last run still open.
    fn running(&self) -> bool {
        self.stopped_at.is_none() && self.runs.last().is_some_and(|r| r.to.is_none())
    }
}

/// One ticket's policy, calendar, and the clock of each target the policy sets.
struct Clocks<'s> {
    policy: &'s PolicyConfig,
    calendar_name: &'s str,
    calendar: &'s Calendar,
    targets: Vec<(Target, Duration, Clock)>,
}

impl Clocks<'_> {
    fn running_due(&self) -> Option<DateTime<Utc>> {
        self.targets
            .iter()
            .filter(|(_, _, clock)| clock.running())
            .filter_map(|(_, budget, clock)| instant_at(self.calendar, clock, *budget))
            .min()
    }
}

impl Sla {
    /// Validates and compiles `config`.
    pub fn new(config: &SlaConfig) -> Result<Sla> {
        config.validate()?;
        let mut calendars = BTreeMap::new();
        for name in config.calendars.keys() {
            calendars.insert(name.clone(), config.calendar(name)?);
        }
        let mut spec = CalendarSpec {
            timezone: "UTC".into(),
            horizon_days: 1830,
            ..Default::default()
        };
        for d in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
            spec.hours
                .insert(d.into(), vec![("00:00".into(), "24:00".into())]);
        }
        Ok(Sla {
            config: config.clone(),
            calendars,
            always: Calendar::new(spec)?,
        })
    }

    /// The configuration this was compiled from.
    pub fn config(&self) -> &SlaConfig {
        &self.config
    }

    /// The policy for `ticket` (whose requester or organisation has `tier`): the first
    /// whose conditions match, else the default one.
    pub fn policy_for(&self, ticket: &Ticket, tier: Option<&str>) -> Option<&PolicyConfig> {
        let matches = |p: &PolicyConfig| {
            let w = &p.when;
            (w.tiers.is_empty() || tier.is_some_and(|t| w.tiers.iter().any(|x| x == t)))
                && (w.kinds.is_empty() || w.kinds.contains(&ticket.kind))
                && (w.categories.is_empty()
                    || ticket.category.as_ref().is_some_and(|c| {
                        w.categories.iter().any(|x| {
                            crate::classify::Category::parse("", x).is_ok_and(|x| c.is_within(&x))
                        })
                    }))
                && (w.services.is_empty() || ticket.services.iter().any(|s| w.services.contains(s)))
                && (w.organisations.is_empty()
                    || ticket
                        .organisation
                        .as_ref()
                        .is_some_and(|o| w.organisations.contains(o)))
        };
        let p = &self.config.policies;
        p.iter()
            .find(|p| !p.default && matches(p))
            .or_else(|| p.iter().find(|p| p.default && matches(p)))
            .or_else(|| p.iter().find(|p| p.default))
    }

    /// The calendar for `ticket` under `policy`: its organisation's, else the policy's,
    /// else round the clock.
    pub fn calendar_for(&self, policy: &PolicyConfig, ticket: &Ticket) -> (&str, &Calendar) {
        let name = ticket
            .organisation
            .as_ref()
            .and_then(|o| self.config.organisation_calendars.get(o))
            .or(policy.calendar.as_ref());
        match name.and_then(|n| self.calendars.get_key_value(n)) {
            Some((n, c)) => (n.as_str(), c),
            None => ("always", &self.always),
        }
    }

    /// Every target of `ticket` at `now`; `None` when no policy applies.
    pub fn view(&self, ticket: &Ticket, tier: Option<&str>, now: DateTime<Utc>) -> Option<SlaView> {
        let c = self.clocks(ticket, tier)?;
        let targets = c
            .targets
            .iter()
            .map(|(target, budget, clock)| {
                self.target_view(c.policy, c.calendar, clock, *target, *budget, now)
            })
            .collect();
        Some(SlaView {
            policy: c.policy.id.clone(),
            calendar: c.calendar_name.to_owned(),
            at: now,
            targets,
        })
    }

    /// What the due index and the SLA-state queues need after a change, from one pass over
    /// the clocks: the next escalation crossing not yet recorded, and the earliest due
    /// instant of the running targets.
    pub fn schedule(
        &self,
        ticket: &Ticket,
        tier: Option<&str>,
    ) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        match self.clocks(ticket, tier) {
            Some(c) => (self.next_crossing_of(ticket, &c), c.running_due()),
            None => (None, None),
        }
    }

    /// The earliest due instant among the targets whose clocks run now (stopped and paused
    /// ones excluded): what the SLA-state queues index.
    pub fn running_due(&self, ticket: &Ticket, tier: Option<&str>) -> Option<DateTime<Utc>> {
        self.clocks(ticket, tier)?.running_due()
    }

    /// The escalation thresholds `ticket` has crossed by `now` and not yet recorded (its
    /// `sla_alerts`): per rule only the latest repeat, so a desk that was down does not
    /// page the same rule many times. Only running or paused targets alert.
    pub fn crossings(
        &self,
        ticket: &Ticket,
        tier: Option<&str>,
        now: DateTime<Utc>,
    ) -> Vec<Crossing> {
        let Some(c) = self.clocks(ticket, tier) else {
            return Vec::new();
        };
        self.thresholds(ticket, &c, |cal, clock, start, step, fired| {
            let elapsed = elapsed(cal, clock, now);
            if elapsed < start {
                return None;
            }
            let n = match step {
                Some(step) => ((elapsed - start).num_seconds() / step.num_seconds().max(1)) as u32,
                None => 0,
            };
            if fired.is_some_and(|f| f >= n) {
                return None;
            }
            let at = instant_at(cal, clock, threshold(start, step, n)?)?;
            Some((at, n))
        })
    }

    /// The next instant at which `ticket` crosses an escalation threshold not yet recorded
    /// (possibly in the past), for the due index.
    pub fn next_crossing(&self, ticket: &Ticket, tier: Option<&str>) -> Option<DateTime<Utc>> {
        self.next_crossing_of(ticket, &self.clocks(ticket, tier)?)
    }

    fn next_crossing_of(&self, ticket: &Ticket, c: &Clocks<'_>) -> Option<DateTime<Utc>> {
        self.thresholds(ticket, c, |cal, clock, start, step, fired| {
            let n = match (fired, step) {
                (None, _) => 0,
                (Some(f), Some(_)) => f + 1,
                (Some(_), None) => return None,
            };
            let at = instant_at(cal, clock, threshold(start, step, n)?)?;
            Some((at, n))
        })
        .into_iter()
        .map(|c| c.at)
        .min()
    }

    /// What the escalation rules would do for `ticket` from its last recorded state until
    /// `until`, if nothing else happened: every crossing in order, repeats included.
    /// Changes nothing; for trying a policy before enabling it.
    pub fn simulate(
        &self,
        ticket: &Ticket,
        tier: Option<&str>,
        until: DateTime<Utc>,
    ) -> Vec<Crossing> {
        let mut out = Vec::new();
        let mut t = ticket.clone();
        // Each step records what fired, as `tick` would, and looks for the next one.
        while let Some(at) = self.next_crossing(&t, tier) {
            if at > until || out.len() >= 10_000 {
                break;
            }
            let found = self.crossings(&t, tier, at);
            if found.is_empty() {
                break;
            }
            for c in found {
                t.sla_alerts.push(super::SlaAlertKey {
                    target: c.target,
                    percent: c.percent,
                    repeat: c.repeat,
                });
                out.push(c);
            }
        }
        out.sort_by_key(|c| c.at);
        out
    }

    /// The policy, calendar and clocks of `ticket`; `None` when no policy applies.
    fn clocks<'s>(&'s self, ticket: &Ticket, tier: Option<&str>) -> Option<Clocks<'s>> {
        let policy = self.policy_for(ticket, tier)?;
        let (calendar_name, calendar) = self.calendar_for(policy, ticket);
        let targets = self
            .budgets(policy, ticket)
            .into_iter()
            .map(|(target, budget)| {
                let pauses = self.pauses(policy, target);
                (target, budget, clock(&ticket.sla_marks, target, pauses))
            })
            .collect();
        Some(Clocks {
            policy,
            calendar_name,
            calendar,
            targets,
        })
    }

    fn thresholds(
        &self,
        ticket: &Ticket,
        c: &Clocks<'_>,
        pick: impl Fn(
            &Calendar,
            &Clock,
            Duration,
            Option<Duration>,
            Option<u32>,
        ) -> Option<(DateTime<Utc>, u32)>,
    ) -> Vec<Crossing> {
        let (policy, cal) = (c.policy, c.calendar);
        let mut out = Vec::new();
        for (target, budget, clock) in &c.targets {
            let (target, budget) = (*target, *budget);
            if clock.stopped_at.is_some() {
                continue;
            }
            for rule in self.config.escalation.iter().filter(|r| {
                r.target == target && (r.policies.is_empty() || r.policies.contains(&policy.id))
            }) {
                let Some(start) = budget
                    .checked_mul(i32::from(rule.at_percent))
                    .map(|d| d / 100)
                else {
                    continue;
                };
                let step = rule.repeat_every.and_then(|d| Duration::from_std(d).ok());
                let fired = ticket
                    .sla_alerts
                    .iter()
                    .filter(|a| a.target == target && a.percent == rule.at_percent)
                    .map(|a| a.repeat)
                    .max();
                if let Some((at, repeat)) = pick(cal, clock, start, step, fired) {
                    out.push(Crossing {
                        at,
                        target,
                        percent: rule.at_percent,
                        repeat,
                        actions: rule.actions.clone(),
                    });
                }
            }
        }
        out
    }

    fn budgets(&self, policy: &PolicyConfig, ticket: &Ticket) -> Vec<(Target, Duration)> {
        let Some(set) = policy.targets.iter().find_map(|(k, v)| {
            (priority_key("", k).ok() == Some(ticket.priority.get())).then_some(v)
        }) else {
            return Vec::new();
        };
        [
            (Target::FirstResponse, set.first_response),
            (Target::Resolution, set.resolution),
            (Target::Update, set.update_every),
        ]
        .into_iter()
        .filter_map(|(t, d)| Some((t, Duration::from_std(d?).ok()?)))
        .collect()
    }

    fn pauses<'p>(&self, policy: &'p PolicyConfig, target: Target) -> &'p [WaitingOn] {
        match target {
            Target::FirstResponse => &policy.pause.first_response,
            Target::Resolution => &policy.pause.resolution,
            Target::Update => &policy.pause.update,
        }
    }

    fn target_view(
        &self,
        policy: &PolicyConfig,
        cal: &Calendar,
        clock: &Clock,
        target: Target,
        budget: Duration,
        now: DateTime<Utc>,
    ) -> TargetView {
        let until = clock.stopped_at.map_or(now, |s| s.min(now));
        let elapsed = elapsed(cal, clock, until);
        let running = clock.running();
        let state = if elapsed > budget || (elapsed == budget && clock.stopped_at.is_none()) {
            SlaState::Breached
        } else if clock.stopped_at.is_some() {
            SlaState::Met
        } else if !running {
            SlaState::Paused
        } else if elapsed.checked_mul(100)
            >= budget.checked_mul(i32::from(self.config.at_risk_percent))
        {
            SlaState::AtRisk
        } else {
            SlaState::Running
        };
        let levels = if target == Target::Resolution {
            let mut used: BTreeMap<SupportLevel, Duration> = BTreeMap::new();
            for r in &clock.runs {
                let to = r.to.map_or(until, |t| t.min(until));
                if to > r.from {
                    *used.entry(r.level).or_default() += cal.business_time_between(r.from, to);
                }
            }
            for l in policy.levels.keys() {
                used.entry(*l).or_default();
            }
            used.into_iter()
                .map(|(level, used)| LevelUsage {
                    level,
                    used,
                    budget: policy
                        .levels
                        .get(&level)
                        .and_then(|d| Duration::from_std(*d).ok()),
                })
                .collect()
        } else {
            Vec::new()
        };
        TargetView {
            target,
            budget,
            due: instant_at(cal, clock, budget),
            elapsed,
            remaining: budget - elapsed,
            state,
            stopped_at: clock.stopped_at,
            levels,
        }
    }
}

/// `start + step × n`: the `n`th repeat of a threshold (`None` when out of range).
fn threshold(start: Duration, step: Option<Duration>, n: u32) -> Option<Duration> {
    let n = i32::try_from(n).ok()?;
    start.checked_add(&step.unwrap_or_default().checked_mul(n)?)
}

/// The runs of `target`'s clock from the marks, and its final stop.
fn clock(marks: &[SlaMark], target: Target, pauses: &[WaitingOn]) -> Clock {
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
    Clock { runs, stopped_at }
}

/// Business time the clock counted up to `until`.
fn elapsed(cal: &Calendar, clock: &Clock, until: DateTime<Utc>) -> Duration {
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
fn instant_at(cal: &Calendar, clock: &Clock, amount: Duration) -> Option<DateTime<Utc>> {
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
