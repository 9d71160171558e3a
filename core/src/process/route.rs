//! Route (seed step 6) by hand: assigning a team and a technician.

use crate::event::Event;
use crate::{Error, Result, TeamId, UserId};

use crate::decide::Decision;
use crate::process::intake::staff_member;

impl Decision<'_> {
    pub(crate) fn assign(
        &self,
        team: Option<&TeamId>,
        assignee: Option<&UserId>,
    ) -> Result<Vec<Event>> {
        let facts = self.ctx.facts;
        if team.is_none() && assignee.is_none() {
            return Err(Error::validation(
                "assignee",
                "name a team, a technician, or both",
            ));
        }
        let team = team.map(|t| facts.team("team", t)).transpose()?;
        let assignee = assignee
            .map(|a| staff_member(facts, "assignee", a))
            .transpose()?;
        if let (Some(t), Some(a)) = (team, assignee) {
            if !a.teams.contains(&t.id) {
                return Err(Error::validation(
                    "assignee",
                    format!("`{}` is not a member of team `{}`", a.id, t.id),
                ));
            }
        }
        // A technician alone keeps the ticket's team if they belong to it, else takes
        // their own first team.
        let team_id = match (team, assignee) {
            (Some(t), _) => Some(t.id.clone()),
            (None, Some(a)) => match &self.ticket.team {
                Some(current) if a.teams.contains(current) => Some(current.clone()),
                _ => a.teams.first().cloned(),
            },
            (None, None) => None,
        };
        let level = team_id
            .as_ref()
            .and_then(|t| facts.teams.get(t))
            .map_or(self.ticket.level, |t| t.level);
        let assignee_id = match assignee {
            Some(a) => Some(a.id.clone()),
            // A new team without a named technician: the team picks one.
            None if team_id != self.ticket.team => None,
            None => self.ticket.assignee.clone(),
        };
        if team_id == self.ticket.team && assignee_id == self.ticket.assignee {
            return Err(Error::validation(
                "assignee",
                "the ticket is already assigned so",
            ));
        }
        Ok(vec![Event::Assigned {
            team: team_id,
            assignee: assignee_id,
            level,
            strategy: None,
        }])
    }
}
