//! The named ticket operations: each builds its [`Command`] and runs it through
//! [`Desk::execute`], so permissions, the transition table and retries apply the same way.

use foliodesk_core::{
    CancelReason, Command, EscalationKind, PriorityChange, Result, SecurityRecord, TeamId, Ticket,
    TicketId, UserId, Visibility, WaitingOn,
};

use crate::{Desk, TicketEdit};

impl Desk {
    /// Adds a public comment or an internal note. A requester's reply resumes a pending ticket.
    pub async fn comment(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        body: impl Into<String>,
        visibility: Visibility,
    ) -> Result<Ticket> {
        self.execute(
            actor,
            id,
            Command::Comment {
                body: body.into(),
                visibility,
            },
        )
        .await
    }

    /// Routes to a team and/or a technician.
    pub async fn assign(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        team: Option<TeamId>,
        assignee: Option<UserId>,
    ) -> Result<Ticket> {
        self.execute(actor, id, Command::Assign { team, assignee })
            .await
    }

    /// Changes the category (and optionally the kind).
    pub async fn reclassify(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        kind: Option<foliodesk_core::TicketKind>,
        category: Option<String>,
    ) -> Result<Ticket> {
        self.execute(actor, id, Command::Reclassify { kind, category })
            .await
    }

    /// Changes impact, urgency, users affected or the manual priority.
    pub async fn change_priority(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        change: PriorityChange,
    ) -> Result<Ticket> {
        self.execute(actor, id, Command::ChangePriority(change))
            .await
    }

    /// Changes descriptive fields (title, description, services, configuration items,
    /// possible causes, assigned resources, tags, users affected); the history records
    /// each with its value before and after. Staff, or the requester for the fields
    /// `intake.requester_may_edit` lists. Tagging `major-incident` makes the ticket a major
    /// incident from then on.
    ///
    /// ```no_run
    /// # async fn demo(desk: foliodesk::Desk, id: foliodesk::TicketId) -> foliodesk::Result<()> {
    /// use foliodesk::TicketEdit;
    /// let edit = TicketEdit { tags: Some(vec!["major-incident".into()]), ..Default::default() };
    /// desk.edit("bob", &id, edit).await?;
    /// # Ok(()) }
    /// ```
    pub async fn edit(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        edit: TicketEdit,
    ) -> Result<Ticket> {
        self.execute(actor, id, Command::Edit(edit)).await
    }

    /// Waits on the requester (the SLA clock pauses).
    pub async fn set_pending(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        reason: impl Into<String>,
    ) -> Result<Ticket> {
        self.execute(
            actor,
            id,
            Command::SetPending {
                reason: reason.into(),
                waiting_on: WaitingOn::Requester,
            },
        )
        .await
    }

    /// Waits on someone: the requester, a third party or a change window. The SLA policy
    /// says which clocks pause for which wait.
    pub async fn set_waiting(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        waiting_on: WaitingOn,
        reason: impl Into<String>,
    ) -> Result<Ticket> {
        self.execute(
            actor,
            id,
            Command::SetPending {
                reason: reason.into(),
                waiting_on,
            },
        )
        .await
    }

    /// Stops waiting on the requester.
    pub async fn resume(&self, actor: impl Into<UserId>, id: &TicketId) -> Result<Ticket> {
        self.execute(actor, id, Command::Resume).await
    }

    /// Escalates by hand: functionally (next level's team) or hierarchically (supervisor).
    pub async fn escalate(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        kind: EscalationKind,
        team: Option<TeamId>,
        reason: impl Into<String>,
    ) -> Result<Ticket> {
        self.execute(
            actor,
            id,
            Command::Escalate {
                kind,
                team,
                reason: reason.into(),
            },
        )
        .await
    }

    /// Proposes a solution; the ticket is locked for technicians until the requester answers.
    pub async fn propose_solution(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        solution: impl Into<String>,
    ) -> Result<Ticket> {
        self.execute(
            actor,
            id,
            Command::ProposeSolution {
                solution: solution.into(),
            },
        )
        .await
    }

    /// The requester confirms the solution.
    pub async fn confirm_solution(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
    ) -> Result<Ticket> {
        self.execute(actor, id, Command::ConfirmSolution).await
    }

    /// The requester says it is not solved: back to analysis, reopen count + 1.
    pub async fn reject_solution(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        reason: impl Into<String>,
    ) -> Result<Ticket> {
        self.execute(
            actor,
            id,
            Command::RejectSolution {
                reason: reason.into(),
            },
        )
        .await
    }

    /// The requester rates the service, 1..=5, once.
    pub async fn rate(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        score: u8,
        comment: Option<String>,
    ) -> Result<Ticket> {
        self.execute(actor, id, Command::Rate { score, comment })
            .await
    }

    /// The owner's final review closes the ticket.
    pub async fn close(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        note: Option<String>,
    ) -> Result<Ticket> {
        self.execute(actor, id, Command::Close { note }).await
    }

    /// Cancels or rejects with a reason.
    pub async fn cancel(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        reason: CancelReason,
        note: impl Into<String>,
    ) -> Result<Ticket> {
        self.execute(
            actor,
            id,
            Command::Cancel {
                reason,
                note: note.into(),
            },
        )
        .await
    }

    /// Reopens a closed ticket within the configured window.
    pub async fn reopen(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        reason: impl Into<String>,
    ) -> Result<Ticket> {
        self.execute(
            actor,
            id,
            Command::Reopen {
                reason: reason.into(),
            },
        )
        .await
    }

    /// Adds a watcher, who is told of public changes.
    pub async fn add_watcher(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        user: impl Into<UserId>,
    ) -> Result<Ticket> {
        self.execute(actor, id, Command::AddWatcher { user: user.into() })
            .await
    }

    /// Sets fields of the ISO 27001 security record.
    pub async fn update_security(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        record: SecurityRecord,
    ) -> Result<Ticket> {
        self.execute(actor, id, Command::UpdateSecurity(record))
            .await
    }
}
