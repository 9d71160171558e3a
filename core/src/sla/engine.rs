//! The SLA engine: the policy and calendar that apply to a ticket, each target's clock
//! computed from the ticket's marks, and the escalation thresholds it crosses.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use super::config::{priority_key, PolicyConfig, SlaConfig, Target};
use crate::calendar::{Calendar, CalendarSpec};
use crate::error::Result;
use crate::status::{SupportLevel, WaitingOn};
use crate::ticket::Ticket;

use super::clocks::{clock, elapsed, instant_at, threshold, TargetClock};
use super::rules::rules;
use super::view::{Crossing, LevelUsage, SlaState, SlaView, TargetView};

/// The SLA configuration compiled for evaluation: calendars built, holiday sets merged.
#[derive(Clone, Debug)]
pub struct Sla {
    config: SlaConfig,
    calendars: BTreeMap<String, Calendar>,
    always: Calendar,
}

/// One ticket's policy, calendar, and the clock of each target the policy sets.
struct Clocks<'s> {
    policy: &'s PolicyConfig,
    calendar_name: &'s str,
    calendar: &'s Calendar,
    targets: Vec<(Target, Duration, TargetClock)>,
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
                            crate::vocabulary::Category::parse("", x).is_ok_and(|x| c.is_within(&x))
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

    /// The calendar named `name` in `sla.calendars`, compiled.
    pub fn calendar(&self, name: &str) -> Option<&Calendar> {
        self.calendars.get(name)
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
            &TargetClock,
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
            for rule in rules(&self.config, policy, target, budget) {
                let Some(start) = budget.checked_mul(i32::from(rule.percent)).map(|d| d / 100)
                else {
                    continue;
                };
                let fired = ticket
                    .sla_alerts
                    .iter()
                    .filter(|a| a.target == target && a.percent == rule.percent)
                    .map(|a| a.repeat)
                    .max();
                if let Some((at, repeat)) = pick(cal, clock, start, rule.step, fired) {
                    out.push(Crossing {
                        at,
                        target,
                        percent: rule.percent,
                        repeat,
                        actions: rule.actions,
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
        clock: &TargetClock,
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
