//! The workload view for supervisors: open load per agent and team.

use foliodesk_core::workload::{workload, TeamLoad};
use foliodesk_core::{Error, Result, Status, TeamId, TicketFilter, UserId};

use crate::Desk;

impl Desk {
    /// The open work of `team` (or of every team the actor may see): unassigned tickets
    /// and each member's load, counted and weighted by priority. Supervisors and admins
    /// only; a supervisor sees the tickets their scope allows.
    pub async fn workload(
        &self,
        actor: impl Into<UserId>,
        team: Option<TeamId>,
    ) -> Result<Vec<TeamLoad>> {
        let actor = self.actor(&actor.into()).await?;
        actor.must_supervise("see the workload")?;
        let mut teams = self.store().teams().await?;
        if let Some(id) = &team {
            teams.retain(|t| &t.id == id);
            if teams.is_empty() {
                return Err(Error::not_found("team", id));
            }
        }
        let users = self.store().users().await?;
        let mut filter = TicketFilter {
            status: vec![Status::New, Status::Open, Status::Pending],
            team,
            ..TicketFilter::default()
        };
        actor.narrow(&mut filter, &self.rules().config);
        let tickets = self.every_ticket(filter).await?;
        Ok(workload(&tickets, &teams, &users))
    }
}
