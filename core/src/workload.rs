//! The workload view (seed 001: balance the work): for each team, its unassigned tickets
//! and each member's open load — counted, and weighted by priority (a P5 weighs five P1s)
//! — with members who have nothing listed too, since an idle agent is what a supervisor
//! looks for.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::directory::{Team, User};
use crate::status::Status;
use crate::ticket::Ticket;
use crate::{TeamId, UserId};

/// One agent's share of a team's open work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AgentLoad {
    /// The agent.
    pub agent: UserId,
    /// Their name.
    pub name: String,
    /// Tickets new or open, assigned to them in this team.
    pub open: u32,
    /// Of those assigned, the ones waiting (pending).
    pub pending: u32,
    /// The sum of the priorities (1–5) of their new, open and pending tickets.
    pub weighted: u32,
    /// When the oldest of them was opened.
    pub oldest: Option<DateTime<Utc>>,
}

/// One team's open work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TeamLoad {
    /// The team.
    pub team: TeamId,
    /// Its name.
    pub name: String,
    /// New, open or pending tickets of the team with no technician.
    pub unassigned: u32,
    /// All its new, open and pending tickets.
    pub total: u32,
    /// The sum of their priorities.
    pub weighted: u32,
    /// Each member's share, heaviest first (then by id); members with nothing included.
    pub agents: Vec<AgentLoad>,
}

impl AgentLoad {
    fn idle(agent: UserId, name: String) -> AgentLoad {
        AgentLoad {
            agent,
            name,
            open: 0,
            pending: 0,
            weighted: 0,
            oldest: None,
        }
    }
}

/// Whether a ticket in `status` is work in hand.
pub fn in_hand(status: Status) -> bool {
    matches!(status, Status::New | Status::Open | Status::Pending)
}

/// The load of `teams` from `tickets` (those not in hand are skipped), with the members
/// found among `users`.
pub fn workload<'a>(
    tickets: impl IntoIterator<Item = &'a Ticket>,
    teams: &[Team],
    users: &[User],
) -> Vec<TeamLoad> {
    let mut out: Vec<TeamLoad> = teams
        .iter()
        .map(|t| TeamLoad {
            team: t.id.clone(),
            name: t.name.clone(),
            unassigned: 0,
            total: 0,
            weighted: 0,
            agents: (users.iter())
                .filter(|u| u.role.is_staff() && u.active && u.teams.contains(&t.id))
                .map(|u| AgentLoad::idle(u.id.clone(), u.name.clone()))
                .collect(),
        })
        .collect();
    for t in tickets.into_iter().filter(|t| in_hand(t.status)) {
        let Some(team) = (t.team.as_ref()).and_then(|id| out.iter_mut().find(|l| &l.team == id))
        else {
            continue;
        };
        let weight = u32::from(t.priority.get());
        team.total += 1;
        team.weighted += weight;
        let Some(assignee) = &t.assignee else {
            team.unassigned += 1;
            continue;
        };
        let at = match team.agents.iter().position(|a| &a.agent == assignee) {
            Some(i) => i,
            // Assigned to someone no longer in the team: still their work.
            None => {
                let name = assignee.to_string();
                team.agents.push(AgentLoad::idle(assignee.clone(), name));
                team.agents.len() - 1
            }
        };
        let a = &mut team.agents[at];
        a.open += u32::from(t.status != Status::Pending);
        a.pending += u32::from(t.status == Status::Pending);
        a.weighted += weight;
        let opened = t.milestones.opened_at;
        a.oldest = match (a.oldest, opened) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
    }
    for team in &mut out {
        team.agents.sort_by(|a, b| {
            b.weighted
                .cmp(&a.weighted)
                .then_with(|| a.agent.cmp(&b.agent))
        });
    }
    out
}
