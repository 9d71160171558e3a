//! Contact records through the facade: a telephony or chat integration (or an agent) records
//! each live contact — answered or abandoned, with or without a ticket — and the reports
//! read them back by start time.

use chrono::{DateTime, Utc};
use foliodesk_core::contact::{Contact, ContactRange};
use foliodesk_core::{Error, Result, UserId};
use serde::{Deserialize, Serialize};

use crate::Desk;

/// Where a page of contacts ends: pass it as `after` for the next page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ContactCursor {
    /// The last contact's start.
    pub started_at: DateTime<Utc>,
    /// The last contact's id.
    pub id: String,
}

impl Desk {
    /// Records a live contact as `actor` (staff, or `SYSTEM` for an integration); the same
    /// id again replaces the record, so a call can be recorded as it rings and again once
    /// answered and ended. The agent and the ticket it names must exist.
    pub async fn record_contact(
        &self,
        actor: impl Into<UserId>,
        contact: Contact,
    ) -> Result<Contact> {
        self.staff_only(&actor.into(), "record contacts").await?;
        contact.validate()?;
        if let Some(agent) = &contact.agent {
            let user = self.store().user(agent).await?;
            if !user.is_some_and(|u| u.role.is_staff()) {
                return Err(Error::validation(
                    "contact.agent",
                    format!("`{agent}` is not a staff member"),
                ));
            }
        }
        if let Some(ticket) = &contact.ticket {
            if self.store().ticket(ticket).await?.is_none() {
                return Err(Error::validation(
                    "contact.ticket",
                    format!("no ticket `{ticket}`"),
                ));
            }
        }
        let contact = Contact {
            id: contact.id.trim().to_owned(),
            ..contact
        };
        self.store().put_contact(contact.clone()).await?;
        Ok(contact)
    }

    /// The contacts started in `[since, until)`, oldest first, at most `limit`
    /// (1–1,000), after `after` (the previous page's last); staff only.
    pub async fn contacts(
        &self,
        actor: impl Into<UserId>,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        after: Option<ContactCursor>,
        limit: u32,
    ) -> Result<Vec<Contact>> {
        self.staff_only(&actor.into(), "read contacts").await?;
        if !(1..=1000).contains(&limit) {
            return Err(Error::validation("limit", "must be between 1 and 1000"));
        }
        let range = ContactRange {
            from: since,
            to: until,
            after: after.map(|c| (c.started_at, c.id)),
            limit,
        };
        self.store().contacts(&range).await
    }

    async fn staff_only(&self, actor: &UserId, operation: &'static str) -> Result<()> {
        let actor = self.actor(actor).await?;
        if actor.role.is_staff() || actor.role == foliodesk_core::Role::System {
            return Ok(());
        }
        Err(Error::Forbidden {
            role: actor.role,
            operation,
            reason: "contact records are for the staff".into(),
        })
    }
}
