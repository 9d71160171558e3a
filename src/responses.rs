//! Canned responses and macros through the facade: what an agent may use on a ticket,
//! rendered for it, and applying a macro in one append.

use foliodesk_core::responses::{offered_to, render, Macro};
use foliodesk_core::{Command, Error, Result, Ticket, TicketId, UserId, Visibility};
use serde::{Deserialize, Serialize};

use crate::Desk;

/// A canned response rendered for one ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CannedResponse {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The category it is listed under.
    pub category: Option<String>,
    /// Public answer or internal note.
    pub visibility: Visibility,
    /// The text, with the ticket's variables filled in.
    pub body: String,
}

impl Desk {
    /// The canned responses `actor` (staff) may use, rendered for ticket `id`, by category
    /// then title.
    pub async fn responses(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
    ) -> Result<Vec<CannedResponse>> {
        let (actor, ticket, facts) = self.read_ticket(&actor.into(), id).await?;
        if !actor.user.role.is_staff() {
            return Err(Error::Forbidden {
                role: actor.user.role,
                operation: "use canned responses",
                reason: "they are for the staff".into(),
            });
        }
        let rules = self.rules();
        let mut out = Vec::new();
        for r in rules.config.responses.iter() {
            if !offered_to(&r.teams, &actor.user) {
                continue;
            }
            out.push(CannedResponse {
                id: r.id.clone(),
                title: r.title.clone(),
                category: r.category.clone(),
                visibility: r.visibility,
                body: render(r, &ticket, &actor.user, &facts)?,
            });
        }
        out.sort_by(|a, b| (&a.category, &a.title).cmp(&(&b.category, &b.title)));
        Ok(out)
    }

    /// The macros `actor` (staff) may apply.
    pub async fn macros(&self, actor: impl Into<UserId>) -> Result<Vec<Macro>> {
        let actor = self.actor(&actor.into()).await?;
        if !actor.user.role.is_staff() {
            return Ok(Vec::new());
        }
        let rules = self.rules();
        Ok((rules.config.macros.iter())
            .filter(|m| offered_to(&m.teams, &actor.user))
            .cloned()
            .collect())
    }

    /// Applies macro `macro_id` to ticket `id` as `actor`: its response, field changes
    /// and status, each checked as if run alone, in one append.
    pub async fn apply_macro(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        macro_id: impl Into<String>,
    ) -> Result<Ticket> {
        let macro_id = macro_id.into();
        self.execute(actor, id, Command::ApplyMacro { macro_id })
            .await
    }
}
