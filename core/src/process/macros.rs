//! Macros (seed 000): a canned response, field changes and a status in one command. Each
//! step runs through [`decide`] on the ticket as the previous steps left it, so the
//! permission and transition tables hold for every part, and the events land in one append.

use crate::command::{Command, CommandKind};
use crate::decide::{decide, Decision};
use crate::edit::TicketEdit;
use crate::event::Event;
use crate::responses::{offered_to, render, MacroStatus};
use crate::status::WaitingOn;
use crate::{Error, Result};

impl Decision<'_> {
    pub(crate) fn apply_macro(&self, id: &str) -> Result<Vec<Event>> {
        let config = self.ctx.config;
        let m = (config.macros.iter().find(|m| m.id == id))
            .ok_or_else(|| Error::validation("macro_id", format!("no macro `{id}`")))?;
        if !offered_to(&m.teams, self.actor) {
            return Err(Error::PermissionDenied {
                role: self.actor.role,
                command: CommandKind::ApplyMacro,
                reason: format!("macro `{id}` is for other teams"),
            });
        }
        let response = match &m.response {
            Some(r) => Some(
                (config.responses.iter().find(|x| &x.id == r))
                    .ok_or_else(|| Error::validation("macro_id", format!("no response `{r}`")))?,
            ),
            None => None,
        };
        let text = match response {
            Some(r) => Some(render(r, self.ticket, self.actor, self.ctx.facts)?),
            None => None,
        };
        let mut steps = Vec::new();
        if let Some(category) = &m.category {
            steps.push(Command::Reclassify {
                kind: None,
                category: Some(category.clone()),
            });
        }
        let mut tags = self.ticket.tags.clone();
        tags.extend(
            m.tags
                .iter()
                .filter(|t| !self.ticket.tags.contains(t))
                .cloned(),
        );
        if tags != self.ticket.tags {
            let edit = TicketEdit {
                tags: Some(tags),
                ..TicketEdit::default()
            };
            steps.push(Command::Edit(edit));
        }
        match (m.status, text, response) {
            (Some(MacroStatus::Resolved), Some(solution), _) => {
                steps.push(Command::ProposeSolution { solution })
            }
            (status, Some(body), Some(r)) => {
                steps.push(Command::Comment {
                    body,
                    visibility: r.visibility,
                });
                if status == Some(MacroStatus::Pending) {
                    steps.push(Command::SetPending {
                        reason: m.title.clone(),
                        waiting_on: WaitingOn::Requester,
                    });
                }
            }
            _ => {}
        }
        let mut working = self.ticket.clone();
        let mut events = Vec::new();
        for step in steps {
            let done = decide(Some(&working), &step, self.actor, self.ctx)?;
            working = working.preview(&done, self.ctx.now, &self.actor.id)?;
            events.extend(done);
        }
        if events.is_empty() {
            return Err(Error::validation(
                "macro_id",
                format!("macro `{id}` changes nothing on this ticket"),
            ));
        }
        Ok(events)
    }
}
