//! Automatic assignment: after a decision leaves a ticket waiting on a team whose
//! strategy is not manual, the desk gathers the team's members with their open load and
//! the rotation, and core's [`pick`] chooses. The choice is one more `assigned` event in
//! the same append, attributed to the actor whose command brought the ticket there and
//! marked with the strategy.

use chrono::{DateTime, Utc};
use foliodesk_core::assignment::{pick, wanted, Candidate, Staffing, Strategy};
use foliodesk_core::workload::workload;
use foliodesk_core::{Event, Facts, Result, Status, TeamId, Ticket, TicketFilter, UserId};

use crate::Desk;

/// The technician a strategy chose, to record once the append holds.
pub(crate) struct Chosen {
    team: TeamId,
    user: UserId,
    strategy: Strategy,
}

impl Desk {
    /// Adds the `assigned` event of the team's strategy, if it chooses someone, to the
    /// `events` of a command by `actor` and to their `preview`.
    pub(crate) async fn staffed(
        &self,
        before: Option<&Ticket>,
        events: &mut Vec<Event>,
        preview: &mut Ticket,
        facts: &Facts,
        now: DateTime<Utc>,
        actor: &UserId,
    ) -> Result<Option<Chosen>> {
        let Some((event, chosen)) = self.staff(before, preview, facts, now).await? else {
            return Ok(None);
        };
        *preview = preview.preview(std::slice::from_ref(&event), now, actor)?;
        events.push(event);
        Ok(Some(chosen))
    }

    /// The `assigned` event the team's strategy adds after `before` → `after`, if any.
    async fn staff(
        &self,
        before: Option<&Ticket>,
        after: &Ticket,
        facts: &Facts,
        now: DateTime<Utc>,
    ) -> Result<Option<(Event, Chosen)>> {
        let Some(team) = wanted(before, after, |id| facts.teams.get(id)) else {
            return Ok(None);
        };
        let users = self.store().users().await?;
        let filter = TicketFilter {
            status: vec![Status::New, Status::Open, Status::Pending],
            team: Some(team.id.clone()),
            ..TicketFilter::default()
        };
        let tickets = self.every_ticket(filter).await?;
        let load = workload(&tickets, std::slice::from_ref(team), &users);
        let candidates = (load.into_iter().flat_map(|l| l.agents))
            .filter_map(|a| {
                let user = users.iter().find(|u| u.id == a.agent)?.clone();
                // Someone who left the team still carries its tickets, but takes no more.
                user.teams.contains(&team.id).then_some(Candidate {
                    user,
                    open: a.open + a.pending,
                    weighted: a.weighted,
                })
            })
            .collect();
        let last = self.store().meta(&rotation_key(&team.id)).await?;
        let staffing = Staffing {
            strategy: team.assignment,
            candidates,
            last: last.map(UserId::from),
        };
        let rules = self.rules();
        let Some(user) = pick(&staffing, after, now, |name| rules.sla.calendar(name)) else {
            return Ok(None);
        };
        let event = Event::Assigned {
            team: Some(team.id.clone()),
            assignee: Some(user.clone()),
            level: team.level,
            strategy: Some(team.assignment),
        };
        let chosen = Chosen {
            team: team.id.clone(),
            user,
            strategy: team.assignment,
        };
        Ok(Some((event, chosen)))
    }

    /// Moves the team's rotation on once the choice is stored. Two desks choosing at the
    /// same instant may both pick the same member; the rotation then resumes after them.
    /// The ticket is stored already, so a failure here is not the caller's: the next
    /// choice merely starts from the previous member again.
    pub(crate) async fn chosen(&self, chosen: Option<Chosen>) {
        if let Some(c) = chosen.filter(|c| c.strategy == Strategy::RoundRobin) {
            let key = rotation_key(&c.team);
            let _ = self.store().put_meta(&key, Some(c.user.to_string())).await;
        }
    }
}

fn rotation_key(team: &TeamId) -> String {
    format!("assignment.rotation.{team}")
}

/// The guide's examples compile.
#[cfg(doctest)]
#[doc = include_str!("../docs/routing.md")]
struct RoutingGuide;
