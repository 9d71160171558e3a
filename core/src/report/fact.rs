//! A ticket's report fact: the few figures every KPI is computed from, derived from the
//! ticket and the rules in force at its last change and stored beside it in the same
//! transaction. Reports read facts, never ticket bodies, so a report over a million
//! tickets reads a few hundred bytes per ticket.
//!
//! Time-dependent verdicts are not frozen: a running SLA target keeps its due instant and a
//! report decides at its own `now` whether it is breached.

use serde::{Deserialize, Serialize};

use crate::schedule::Rules;
use crate::sla::{SlaState, Target};
use crate::status::{Status, SupportLevel, WaitingOn};
use crate::ticket::Ticket;
use crate::{Category, Channel, OrgId, TeamId, TicketId, TicketKind, UserId};

/// The version of the fact layout and derivation; a desk whose stored facts have another
/// rebuilds them (`Desk::rebuild_report_facts`).
pub const FACTS_VERSION: u32 = 2;

/// Where one SLA target of a ticket stands, as of the ticket's last change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum TargetOutcome {
    /// Stopped within the target.
    Met,
    /// Past the target (stopped late, or running past its due instant).
    Breached,
    /// Running: due at this instant (microseconds since the epoch).
    Running(i64),
    /// Paused short of the target.
    Paused,
}

/// One SLA target of a ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TargetFact {
    /// Which target.
    pub target: Target,
    /// Where it stands.
    pub outcome: TargetOutcome,
}

impl TargetFact {
    /// Whether the target is breached at `now` (microseconds).
    pub fn breached_at(&self, now: i64) -> bool {
        match self.outcome {
            TargetOutcome::Breached => true,
            TargetOutcome::Running(due) => due <= now,
            TargetOutcome::Met | TargetOutcome::Paused => false,
        }
    }

    /// Whether the target is settled (met or breached for good) by `now`: stopped, or
    /// running past its due instant.
    pub fn settled_at(&self, now: i64) -> bool {
        match self.outcome {
            TargetOutcome::Met | TargetOutcome::Breached => true,
            TargetOutcome::Running(due) => due <= now,
            TargetOutcome::Paused => false,
        }
    }
}

/// Business seconds one support level used of the resolution clock (OLA use).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LevelFact {
    /// The level.
    pub level: SupportLevel,
    /// Business seconds the resolution clock ran at this level.
    pub used: u32,
    /// The policy's budget for the level, in seconds, if it sets one.
    pub budget: Option<u32>,
}

/// The figures of one ticket that reports are computed from. Instants are microseconds
/// since the Unix epoch; durations are whole seconds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Fact {
    /// The ticket.
    pub ticket: TicketId,
    /// When it was registered.
    pub opened: i64,
    /// Incident, request, problem…
    pub kind: TicketKind,
    /// Where it came in.
    pub channel: Channel,
    /// Its category.
    pub category: Option<Category>,
    /// Its first service.
    pub service: Option<String>,
    /// The requester's organisation.
    pub organisation: Option<OrgId>,
    /// Priority 1–5.
    pub priority: u8,
    /// Status now.
    pub status: Status,
    /// Waiting on the requester (pending on them).
    pub waiting_on_requester: bool,
    /// Support level now.
    pub level: SupportLevel,
    /// Team now.
    pub team: Option<TeamId>,
    /// Technician now (for a resolved ticket, the one who resolved it).
    pub assignee: Option<UserId>,
    /// First assigned to a technician.
    pub assigned: Option<i64>,
    /// First public answer by staff.
    pub responded: Option<i64>,
    /// Latest solution proposed.
    pub resolved: Option<i64>,
    /// Closed or cancelled.
    pub finished: Option<i64>,
    /// Business seconds from registration to the first assignment (start of attention).
    pub attention_business: Option<u32>,
    /// Business seconds from registration to the first public answer.
    pub response_business: Option<u32>,
    /// Business seconds from registration to the latest solution.
    pub resolution_business: Option<u32>,
    /// Reopened (or solution rejected) this many times.
    pub reopens: u32,
    /// Functional escalations (to another level or team).
    pub functional: u32,
    /// Hierarchical escalations (to a supervisor).
    pub hierarchical: u32,
    /// The requester's rating, 1–5.
    pub satisfaction: Option<u8>,
    /// The solution was confirmed, which invites the survey.
    pub surveyed: bool,
    /// The problem it is linked to.
    pub problem: Option<TicketId>,
    /// How many times what it is about happened.
    pub occurrences: u32,
    /// An information-security incident.
    pub security: bool,
    /// The SLA policy applied, if any.
    pub policy: Option<String>,
    /// Its SLA targets.
    pub targets: Vec<TargetFact>,
    /// OLA use: per support level, the business time of the resolution clock.
    pub levels: Vec<LevelFact>,
    /// The latest SLA escalation alert.
    pub alerted: Option<i64>,
}

fn micros(t: Option<chrono::DateTime<chrono::Utc>>) -> Option<i64> {
    t.map(|t| t.timestamp_micros())
}

fn secs(d: chrono::TimeDelta) -> u32 {
    u32::try_from(d.num_seconds().max(0)).unwrap_or(u32::MAX)
}

impl Fact {
    /// The fact of `ticket` under `rules` (its customer tier decides the SLA policy).
    pub fn of(ticket: &Ticket, rules: &Rules, tier: Option<&str>) -> Fact {
        let m = &ticket.milestones;
        let opened = m.opened_at.unwrap_or_default();
        let sla = &rules.sla;
        let calendar = sla
            .policy_for(ticket, tier)
            .map(|p| sla.calendar_for(p, ticket).1);
        let business = |end: Option<chrono::DateTime<chrono::Utc>>| {
            let end = end?;
            Some(match calendar {
                Some(c) => secs(c.business_time_between(opened, end)),
                None => u32::try_from((end - opened).num_seconds().max(0)).unwrap_or(u32::MAX),
            })
        };
        let at = m.updated_at.unwrap_or(opened);
        let view = sla.view(ticket, tier, at);
        let targets = view
            .as_ref()
            .map(|v| {
                v.targets
                    .iter()
                    .map(|t| TargetFact {
                        target: t.target,
                        outcome: match (t.state, t.due) {
                            (SlaState::Met, _) => TargetOutcome::Met,
                            (SlaState::Breached, _) => TargetOutcome::Breached,
                            (_, Some(due)) if t.stopped_at.is_none() => {
                                TargetOutcome::Running(due.timestamp_micros())
                            }
                            _ => TargetOutcome::Paused,
                        },
                    })
                    .collect()
            })
            .unwrap_or_default();
        let levels = view
            .as_ref()
            .and_then(|v| v.target(Target::Resolution))
            .map(|t| {
                t.levels
                    .iter()
                    .map(|l| LevelFact {
                        level: l.level,
                        used: secs(l.used),
                        budget: l.budget.map(secs),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let finished = m
            .closed_at
            .or(m.cancelled_at)
            .filter(|_| ticket.status.is_terminal());
        let resolved = m.resolved_at.filter(|_| {
            matches!(
                ticket.status,
                Status::Resolved | Status::Confirmed | Status::Closed
            )
        });
        Fact {
            ticket: ticket.id.clone(),
            opened: opened.timestamp_micros(),
            kind: ticket.kind,
            channel: ticket.channel,
            category: ticket.category.clone(),
            service: ticket.services.first().cloned(),
            organisation: ticket.organisation.clone(),
            priority: ticket.priority.get(),
            status: ticket.status,
            waiting_on_requester: ticket.status == Status::Pending
                && ticket
                    .sla_marks
                    .last()
                    .is_some_and(|mk| mk.phase == crate::sla::Phase::Waiting(WaitingOn::Requester)),
            level: ticket.level,
            team: ticket.team.clone(),
            assignee: ticket.assignee.clone(),
            assigned: micros(m.assigned_at),
            responded: micros(m.first_response_at),
            resolved: micros(resolved),
            finished: micros(finished),
            attention_business: business(m.assigned_at),
            response_business: business(m.first_response_at),
            resolution_business: business(resolved),
            reopens: ticket.reopen_count,
            functional: ticket
                .escalation_count
                .saturating_sub(ticket.hierarchical_escalations),
            hierarchical: ticket.hierarchical_escalations,
            satisfaction: ticket.satisfaction.as_ref().map(|s| s.score),
            surveyed: m.confirmed_at.is_some(),
            problem: ticket.problem_id.clone(),
            occurrences: ticket.occurrences,
            security: ticket.security.is_some(),
            policy: view.map(|v| v.policy),
            targets,
            levels,
            alerted: micros(m.alerted_at),
        }
    }

    /// The compact bytes a backend stores.
    pub fn encode(&self) -> crate::Result<Vec<u8>> {
        postcard::to_allocvec(self)
            .map_err(|e| crate::Error::storage_msg(format!("cannot encode a report fact: {e}")))
    }

    /// A fact from the bytes [`Fact::encode`] wrote.
    pub fn decode(bytes: &[u8]) -> crate::Result<Fact> {
        postcard::from_bytes(bytes)
            .map_err(|e| crate::Error::storage_msg(format!("unreadable report fact: {e}")))
    }

    /// Whether work on the ticket is still expected or awaited: not closed or cancelled
    /// (the dashboard's tickets).
    pub fn live(&self) -> bool {
        !self.status.is_terminal()
    }
}
