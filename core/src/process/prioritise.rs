//! Prioritise (seed step 5) after intake: impact, urgency, users affected, the manual
//! override with who and why.

use crate::command::PriorityChange;
use crate::event::Event;
use crate::priority::{Impact, Priority, PriorityOverride, Urgency};
use crate::{Error, Result};

use crate::decide::{text, Decision, MAX_TEXT};

impl Decision<'_> {
    pub(crate) fn change_priority(&self, change: &PriorityChange) -> Result<Vec<Event>> {
        let t = self.ticket;
        let config = self.ctx.config;
        let impact = change
            .impact
            .map(Impact::new)
            .transpose()?
            .unwrap_or(t.impact);
        let urgency = change
            .urgency
            .map(Urgency::new)
            .transpose()?
            .unwrap_or(t.urgency);
        let users_affected = change.users_affected.unwrap_or(t.users_affected);
        if users_affected == 0 {
            return Err(Error::validation("users_affected", "must be at least 1"));
        }
        let manual = match (change.manual, change.clear_manual) {
            (Some(_), true) => {
                return Err(Error::validation("manual", "cannot both set and clear it"));
            }
            (Some(p), false) => {
                let reason = change.reason.as_deref().unwrap_or_default();
                Some(PriorityOverride {
                    priority: Priority::new(p).map_err(|_| {
                        Error::validation("manual", format!("{p} is out of range 1..=5"))
                    })?,
                    by: self.actor.id.clone(),
                    reason: text("reason", reason, MAX_TEXT)?,
                })
            }
            (None, true) => None,
            (None, false) => t.priority_override.clone(),
        };
        let requester = self.ctx.facts.users.get(&t.requester);
        let org = t
            .organisation
            .as_ref()
            .and_then(|o| self.ctx.facts.organisations.get(o));
        let tier = crate::directory::customer_tier(requester, org);
        let computed = config
            .priority
            .compute(impact, urgency, users_affected, tier);
        let priority = manual.as_ref().map_or(computed, |m| m.priority);
        if (impact, urgency, users_affected, &manual)
            == (t.impact, t.urgency, t.users_affected, &t.priority_override)
        {
            return Err(Error::validation("priority", "nothing to change"));
        }
        Ok(vec![Event::PriorityChanged {
            impact,
            urgency,
            users_affected,
            priority,
            manual,
        }])
    }
}
