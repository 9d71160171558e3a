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

use super::fact::Fact;
use super::stats::{round3, Durations, Rate, Tally};
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

/// Folds facts into [`Figures`], one at a time.
#[derive(Default)]
pub struct Fold {
    f: Figures,
    times: [Vec<u32>; 6],
    /// By policy and by team.
    sla: [BTreeMap<String, Tally>; 2],
    ola: BTreeMap<SupportLevel, LevelUse>,
    fcr: u64,
    reopened: u64,
    functional: u64,
    hierarchical: u64,
    surveyed: u64,
    scores: u64,
    techs: BTreeMap<String, Tech>,
    problems: BTreeMap<String, u64>,
    /// Closed vocabularies counted by index: no key is looked up for them.
    channels: [u64; Channel::ALL.len()],
    kinds: [u64; TicketKind::ALL.len()],
    by_target: [Tally; Target::ALL.len()],
    by_priority: [Tally; 6],
}

fn key(s: Option<&str>) -> &str {
    s.unwrap_or("-")
}

/// The entry of `map` under `k`, allocating the key only the first time it is seen (a
/// report meets each key thousands of times).
fn slot<'m, V: Default>(map: &'m mut BTreeMap<String, V>, k: &str) -> &'m mut V {
    if !map.contains_key(k) {
        map.insert(k.to_owned(), V::default());
    }
    map.get_mut(k).expect("inserted above")
}

fn bump(map: &mut BTreeMap<String, u64>, k: &str) {
    *slot(map, k) += 1;
}

impl Fold {
    /// Adds one ticket's fact, as it stands at `now` (microseconds).
    pub fn add(&mut self, fact: &Fact, now: i64) {
        let f = &mut self.f;
        f.volume += 1;
        self.channels[fact.channel as usize] += 1;
        self.kinds[fact.kind as usize] += 1;
        bump(
            &mut f.by_category,
            key(fact.category.as_ref().map(|c| c.as_str())),
        );
        bump(&mut f.by_service, key(fact.service.as_deref()));
        bump(
            &mut f.by_organisation,
            key(fact.organisation.as_ref().map(|o| o.as_str())),
        );
        let pairs = [
            (fact.responded, fact.response_business),
            (fact.assigned, fact.attention_business),
            (fact.resolved, fact.resolution_business),
        ];
        for (i, (end, business)) in pairs.into_iter().enumerate() {
            if let (Some(end), Some(b)) = (end, business) {
                let wall = ((end - fact.opened).max(0) / 1_000_000).min(i64::from(u32::MAX));
                self.times[2 * i].push(wall as u32);
                self.times[2 * i + 1].push(b);
            }
        }
        let team = key(fact.team.as_ref().map(|t| t.as_str()));
        for t in fact.targets.iter().filter(|t| t.settled_at(now)) {
            let breached = t.breached_at(now);
            let by_priority = self.by_priority.get_mut(usize::from(fact.priority).min(5));
            let tallies = [
                Some(&mut self.by_target[t.target as usize]),
                by_priority,
                Some(slot(&mut self.sla[0], key(fact.policy.as_deref()))),
            ];
            for tally in tallies.into_iter().flatten() {
                tally.count(breached);
            }
            slot(&mut self.sla[1], team).count(breached);
        }
        for l in &fact.levels {
            let u = self.ola.entry(l.level).or_default();
            u.tickets += 1;
            u.seconds += u64::from(l.used);
            u.over_budget += u64::from(l.budget.is_some_and(|b| l.used > b));
        }
        let resolved = fact.resolved.is_some();
        if resolved {
            f.resolved += 1;
            let escalated = fact.functional + fact.hierarchical > 0;
            self.fcr +=
                u64::from(fact.level == SupportLevel::N1 && !escalated && fact.reopens == 0);
        }
        self.reopened += u64::from(fact.reopens > 0);
        self.functional += u64::from(fact.functional > 0);
        self.hierarchical += u64::from(fact.hierarchical > 0);
        self.surveyed += u64::from(fact.surveyed);
        if let Some(s) = fact.satisfaction.filter(|s| (1..=5).contains(s)) {
            f.satisfaction.distribution[usize::from(s - 1)] += 1;
            self.scores += u64::from(s);
        }
        if let Some(agent) = &fact.assignee {
            let t = slot(&mut self.techs, agent.as_str());
            t.volume += 1;
            t.reopens += u64::from(fact.reopens);
            if let (true, Some(b)) = (resolved, fact.resolution_business) {
                t.resolved += 1;
                t.resolution += u64::from(b);
            }
            if let Some(s) = fact.satisfaction {
                t.ratings += 1;
                t.score += u64::from(s);
            }
        }
        if fact.occurrences > 1 {
            f.repeated += 1;
            f.repetitions += u64::from(fact.occurrences - 1);
        }
        if let Some(p) = &fact.problem {
            bump(&mut self.problems, p.as_str());
        }
        f.security_incidents += u64::from(fact.security);
    }

    /// The figures.
    pub fn finish(self) -> Figures {
        let Fold {
            mut f,
            mut times,
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
        let rates =
            |m: BTreeMap<String, Tally>| m.into_iter().map(|(k, t)| (k, t.compliance())).collect();
        let [by_policy, by_team] = sla;
        let settled = |t: &Tally| t.met + t.breached > 0;
        f.sla_by_target = (Target::ALL.iter().zip(by_target))
            .filter(|(_, t)| settled(t))
            .map(|(k, t)| (k.as_str().to_owned(), t.compliance()))
            .collect();
        f.sla_by_priority = (by_priority.iter().enumerate())
            .filter(|(_, t)| settled(t))
            .map(|(p, t)| (p.to_string(), t.compliance()))
            .collect();
        f.sla_by_policy = rates(by_policy);
        f.sla_by_team = rates(by_team);
        f.ola = ola
            .into_iter()
            .map(|(level, mut u)| {
                u.mean = round3(u.seconds as f64 / u.tickets.max(1) as f64);
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
        f.technicians = self
            .techs
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
        let mut problems: Vec<ProblemCount> = self
            .problems
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

fn mean(sum: u64, n: u64) -> f64 {
    if n == 0 {
        0.0
    } else {
        round3(sum as f64 / n as f64)
    }
}
