//! The KPI catalogue of one window (seeds 000, 002): volume by channel, kind, category,
//! service and organisation; first response, start of attention and resolution times in
//! calendar and business time; SLA compliance per target, policy, priority and team; OLA
//! use per support level; first contact resolution; reopen and escalation rates;
//! satisfaction; per technician; repeated incidents and incidents per problem.
//!
//! The figures describe the tickets opened in the window (a cohort) as they stand at the
//! report's instant: a ticket counts once, in the window it was opened in, whatever
//! happened to it later.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::block::{Names, Row};
use super::fact::{LevelFact, TargetFact};
use super::stats::{grouped, round3, Durations, Merge, Rate, Tally};
use crate::sla::Target;
use crate::status::SupportLevel;
use crate::{Channel, TicketKind};

/// A duration measured on the calendar and on the ticket's business calendar.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Clocked {
    /// Wall-clock seconds.
    pub calendar: Durations,
    /// Business seconds (the SLA policy's calendar; round the clock without a policy).
    pub business: Durations,
}

/// How much of the resolution clock one support level used (OLA use).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LevelUse {
    /// Tickets the level worked on.
    pub tickets: u64,
    /// Business seconds used, in all.
    pub seconds: u64,
    /// Mean business seconds per ticket worked.
    pub mean: f64,
    /// Tickets on which the level went over its budget.
    pub over_budget: u64,
}

/// Satisfaction survey results.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SatisfactionFigures {
    /// Mean score, 1–5 (0 without answers).
    pub mean: f64,
    /// How many answered with 1, 2, 3, 4 and 5.
    pub distribution: [u64; 5],
    /// Answers out of the tickets whose solution was confirmed (which invites the survey).
    pub response_rate: Rate,
}

/// One technician's figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TechnicianFigures {
    /// The technician.
    pub agent: String,
    /// Tickets they hold or held at resolution.
    pub volume: u64,
    /// Of those, resolved.
    pub resolved: u64,
    /// Mean business resolution time of those, in seconds.
    pub resolution_mean: f64,
    /// Mean satisfaction score (0 without answers).
    pub satisfaction_mean: f64,
    /// Satisfaction answers.
    pub ratings: u64,
    /// Reopens on their tickets.
    pub reopens: u64,
}

/// Incidents linked to one problem.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProblemCount {
    /// The problem's ticket id.
    pub problem: String,
    /// Incidents of the window linked to it.
    pub incidents: u64,
}

/// Every figure of one window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Figures {
    /// Tickets opened.
    pub volume: u64,
    /// Volume by channel, kind, category, service and organisation (`-` for none).
    pub by_channel: BTreeMap<String, u64>,
    /// Volume by kind.
    pub by_kind: BTreeMap<String, u64>,
    /// Volume by category.
    pub by_category: BTreeMap<String, u64>,
    /// Volume by first service.
    pub by_service: BTreeMap<String, u64>,
    /// Volume by organisation.
    pub by_organisation: BTreeMap<String, u64>,
    /// Of them, with a solution proposed (resolved, confirmed or closed).
    pub resolved: u64,
    /// Registration to first public answer.
    pub first_response: Clocked,
    /// Registration to first assignment.
    pub attention: Clocked,
    /// Registration to latest solution.
    pub resolution: Clocked,
    /// SLA compliance per target (settled targets: stopped, or running past due).
    pub sla_by_target: BTreeMap<String, Rate>,
    /// Per policy, all targets.
    pub sla_by_policy: BTreeMap<String, Rate>,
    /// Per priority (`1`–`5`), all targets.
    pub sla_by_priority: BTreeMap<String, Rate>,
    /// Per team (`-` for none), all targets.
    pub sla_by_team: BTreeMap<String, Rate>,
    /// OLA use per support level.
    pub ola: BTreeMap<String, LevelUse>,
    /// Resolved at N1, never escalated, never reopened, out of the resolved.
    pub first_contact_resolution: Rate,
    /// Reopened at least once, out of the resolved.
    pub reopen_rate: Rate,
    /// Escalated functionally at least once, out of the volume.
    pub functional_escalation: Rate,
    /// Escalated hierarchically at least once, out of the volume.
    pub hierarchical_escalation: Rate,
    /// Survey results.
    pub satisfaction: SatisfactionFigures,
    /// Per technician, by id.
    pub technicians: Vec<TechnicianFigures>,
    /// Tickets whose subject happened more than once.
    pub repeated: u64,
    /// Occurrences beyond the first, in all.
    pub repetitions: u64,
    /// Incidents per problem, most first (then by id).
    pub problems: Vec<ProblemCount>,
    /// Information-security incidents.
    pub security_incidents: u64,
}

#[derive(Default)]
struct Tech {
    volume: u64,
    resolved: u64,
    resolution: u64,
    ratings: u64,
    score: u64,
    reopens: u64,
}

/// Folds facts into [`Figures`], one [`Row`] at a time. Groups are counted by the rows'
/// name numbers, so no name is looked up per fact.
#[derive(Default)]
pub struct Fold {
    f: Figures,
    times: [Vec<u32>; 6],
    /// By category, service and organisation.
    volumes: [Vec<u64>; 3],
    /// By policy and by team.
    sla: [Vec<Tally>; 2],
    ola: [LevelUse; SupportLevel::ALL.len()],
    fcr: u64,
    reopened: u64,
    functional: u64,
    hierarchical: u64,
    surveyed: u64,
    scores: u64,
    techs: Vec<Tech>,
    problems: Vec<u64>,
    /// Closed vocabularies counted by index.
    channels: [u64; Channel::ALL.len()],
    kinds: [u64; TicketKind::ALL.len()],
    by_target: [Tally; Target::ALL.len()],
    by_priority: [Tally; 6],
}

/// The counter of name number `id`, growing `v` to hold it.
fn at<T: Default>(v: &mut Vec<T>, id: u32) -> &mut T {
    let i = id as usize;
    if v.len() <= i {
        v.resize_with(i + 1, T::default);
    }
    &mut v[i]
}

impl Fold {
    /// Adds one ticket's row with its targets and levels, as it stands at `now`
    /// (microseconds).
    pub fn add(&mut self, r: &Row, targets: &[TargetFact], levels: &[LevelFact], now: i64) {
        let f = &mut self.f;
        f.volume += 1;
        self.channels[r.channel as usize] += 1;
        self.kinds[r.kind as usize] += 1;
        for (v, id) in self
            .volumes
            .iter_mut()
            .zip([r.category, r.service, r.organisation])
        {
            *at(v, id) += 1;
        }
        let pairs = [
            (r.responded, r.response_business),
            (r.assigned, r.attention_business),
            (r.resolved, r.resolution_business),
        ];
        for (i, (end, business)) in pairs.into_iter().enumerate() {
            if let (Some(end), Some(b)) = (end, business) {
                let wall = ((end - r.opened).max(0) / 1_000_000).min(i64::from(u32::MAX));
                self.times[2 * i].push(wall as u32);
                self.times[2 * i + 1].push(b);
            }
        }
        for t in targets.iter().filter(|t| t.settled_at(now)) {
            let breached = t.breached_at(now);
            self.by_target[t.target as usize].count(breached);
            if let Some(p) = self.by_priority.get_mut(usize::from(r.priority).min(5)) {
                p.count(breached);
            }
            at(&mut self.sla[0], r.policy).count(breached);
            at(&mut self.sla[1], r.team).count(breached);
        }
        for l in levels {
            let u = &mut self.ola[l.level as usize];
            u.tickets += 1;
            u.seconds += u64::from(l.used);
            u.over_budget += u64::from(l.budget.is_some_and(|b| l.used > b));
        }
        let resolved = r.resolved.is_some();
        if resolved {
            f.resolved += 1;
            let escalated = r.functional + r.hierarchical > 0;
            self.fcr += u64::from(r.level == SupportLevel::N1 && !escalated && r.reopens == 0);
        }
        self.reopened += u64::from(r.reopens > 0);
        self.functional += u64::from(r.functional > 0);
        self.hierarchical += u64::from(r.hierarchical > 0);
        self.surveyed += u64::from(r.surveyed);
        if let Some(s) = r.satisfaction.filter(|s| (1..=5).contains(s)) {
            f.satisfaction.distribution[usize::from(s - 1)] += 1;
            self.scores += u64::from(s);
        }
        if r.assignee != 0 {
            let t = at(&mut self.techs, r.assignee);
            t.volume += 1;
            t.reopens += u64::from(r.reopens);
            if let (true, Some(b)) = (resolved, r.resolution_business) {
                t.resolved += 1;
                t.resolution += u64::from(b);
            }
            if let Some(s) = r.satisfaction {
                t.ratings += 1;
                t.score += u64::from(s);
            }
        }
        if r.occurrences > 1 {
            f.repeated += 1;
            f.repetitions += u64::from(r.occurrences - 1);
        }
        if r.problem != 0 {
            *at(&mut self.problems, r.problem) += 1;
        }
        f.security_incidents += u64::from(r.security);
    }

    /// The figures, naming groups through `names` (the numbering of the rows added).
    pub fn finish(self, names: &Names) -> Figures {
        let Fold {
            mut f,
            mut times,
            volumes,
            sla,
            ola,
            channels,
            kinds,
            by_target,
            by_priority,
            ..
        } = self;
        let named = |names: &mut dyn Iterator<Item = &'static str>, counts: &[u64]| {
            (names.zip(counts.iter().copied()))
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| (k.to_owned(), n))
                .collect::<BTreeMap<String, u64>>()
        };
        f.by_channel = named(&mut Channel::ALL.iter().map(|c| c.as_str()), &channels);
        f.by_kind = named(&mut TicketKind::ALL.iter().map(|k| k.as_str()), &kinds);
        let [categories, services, organisations] = volumes;
        f.by_category = grouped(names, categories, |n| *n > 0);
        f.by_service = grouped(names, services, |n| *n > 0);
        f.by_organisation = grouped(names, organisations, |n| *n > 0);
        let [a, b, c, d, e, g] = &mut times;
        f.first_response = Clocked {
            calendar: Durations::of(a),
            business: Durations::of(b),
        };
        f.attention = Clocked {
            calendar: Durations::of(c),
            business: Durations::of(d),
        };
        f.resolution = Clocked {
            calendar: Durations::of(e),
            business: Durations::of(g),
        };
        let settled = |t: &Tally| t.met + t.breached > 0;
        let rates = |m: BTreeMap<String, Tally>| {
            (m.into_iter())
                .map(|(k, t)| (k, t.compliance()))
                .collect::<BTreeMap<_, _>>()
        };
        let [by_policy, by_team] = sla;
        f.sla_by_target = (Target::ALL.iter().zip(by_target))
            .filter(|(_, t)| settled(t))
            .map(|(k, t)| (k.as_str().to_owned(), t.compliance()))
            .collect();
        f.sla_by_priority = (by_priority.iter().enumerate())
            .filter(|(_, t)| settled(t))
            .map(|(p, t)| (p.to_string(), t.compliance()))
            .collect();
        f.sla_by_policy = rates(grouped(names, by_policy, settled));
        f.sla_by_team = rates(grouped(names, by_team, settled));
        f.ola = (SupportLevel::ALL.iter().zip(ola))
            .filter(|(_, u)| u.tickets > 0)
            .map(|(level, mut u)| {
                u.mean = round3(u.seconds as f64 / u.tickets as f64);
                (level.as_str().to_owned(), u)
            })
            .collect();
        f.first_contact_resolution = Rate::new(self.fcr, f.resolved);
        f.reopen_rate = Rate::new(self.reopened, f.resolved);
        f.functional_escalation = Rate::new(self.functional, f.volume);
        f.hierarchical_escalation = Rate::new(self.hierarchical, f.volume);
        let answers: u64 = f.satisfaction.distribution.iter().sum();
        f.satisfaction.mean = mean(self.scores, answers);
        f.satisfaction.response_rate = Rate::new(answers, self.surveyed);
        f.technicians = grouped(names, self.techs, |t| t.volume > 0)
            .into_iter()
            .map(|(agent, t)| TechnicianFigures {
                agent,
                volume: t.volume,
                resolved: t.resolved,
                resolution_mean: mean(t.resolution, t.resolved),
                satisfaction_mean: mean(t.score, t.ratings),
                ratings: t.ratings,
                reopens: t.reopens,
            })
            .collect();
        let mut problems: Vec<ProblemCount> = grouped(names, self.problems, |n| *n > 0)
            .into_iter()
            .map(|(problem, incidents)| ProblemCount { problem, incidents })
            .collect();
        problems.sort_by(|x, y| {
            y.incidents
                .cmp(&x.incidents)
                .then_with(|| x.problem.cmp(&y.problem))
        });
        f.problems = problems;
        f
    }
}

impl Merge for Tech {
    fn merge(&mut self, o: Tech) {
        self.volume += o.volume;
        self.resolved += o.resolved;
        self.resolution += o.resolution;
        self.ratings += o.ratings;
        self.score += o.score;
        self.reopens += o.reopens;
    }
}

fn mean(sum: u64, n: u64) -> f64 {
    if n == 0 {
        0.0
    } else {
        round3(sum as f64 / n as f64)
    }
}
