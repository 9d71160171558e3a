//! SLA views and dry runs through the facade.

use chrono::{DateTime, Utc};
use foliodesk_core::schedule::tier;
use foliodesk_core::sla::{Crossing, Sla, SlaConfig, SlaView};
use foliodesk_core::{Command, Error, Result, TicketId, UserId};

use crate::Desk;

impl Desk {
    /// Every SLA target of the ticket now, as `actor` may see it; `None` when no policy
    /// applies.
    pub async fn sla(&self, actor: impl Into<UserId>, id: &TicketId) -> Result<Option<SlaView>> {
        self.sla_at(actor, id, self.now()).await
    }

    /// Every SLA target of the ticket at `at`.
    pub async fn sla_at(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        at: DateTime<Utc>,
    ) -> Result<Option<SlaView>> {
        let (actor, ticket, facts) = self.read_ticket(&actor.into(), id).await?;
        let view = self.rules().sla.view(&ticket, tier(&ticket, &facts), at);
        Ok(view.map(|v| foliodesk_core::view::sla(&actor, v)))
    }

    /// Dry run: the escalation rules that would fire on the ticket from now until `until`
    /// if nothing else happened, in order. With `candidate`, an SLA section to try instead
    /// of the one in force (validated, never stored). Changes nothing. Staff only.
    pub async fn simulate_sla(
        &self,
        actor: impl Into<UserId>,
        id: &TicketId,
        until: DateTime<Utc>,
        candidate: Option<SlaConfig>,
    ) -> Result<Vec<Crossing>> {
        let (actor, ticket, facts) = self.read(&actor.into(), Some(id), &Command::Resume).await?;
        // Requesters are refused before the ticket is looked at: the refusal tells nothing.
        if !foliodesk_core::view::may_simulate_sla(&actor) {
            return Err(Error::Forbidden {
                role: actor.role,
                operation: "simulate_sla",
                reason: "only staff can simulate SLA escalations".into(),
            });
        }
        let candidate = candidate
            .map(|c| {
                c.validate().map_err(|e| prefixed("candidate", e))?;
                Sla::new(&c).map_err(|e| prefixed("candidate", e))
            })
            .transpose()?;
        let ticket = self.visible(&actor, ticket, id)?;
        let rules = self.rules();
        let sla = candidate.as_ref().unwrap_or(&rules.sla);
        Ok(sla.simulate(&ticket, tier(&ticket, &facts), until))
    }
}

/// `e` with its field named under `prefix` instead of the configuration's `sla` section
/// (`sla.policies[0].id` → `candidate.policies[0].id`).
fn prefixed(prefix: &str, e: Error) -> Error {
    let name = |field: &str| {
        let inner = field.strip_prefix("sla.").unwrap_or(field);
        format!("{prefix}.{inner}")
    };
    match e {
        Error::Validation { field, reason } => Error::validation(name(&field), reason),
        Error::Config { key, reason, .. } => Error::validation(name(&key), reason),
        other => other,
    }
}
