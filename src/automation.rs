//! Rules at work through the facade: event rules answer each append, to a depth of
//! [`MAX_DEPTH`]; time rules are run by [`Desk::tick`] from the due index.

use chrono::{DateTime, Utc};
use foliodesk_core::automation::{actor_of, due_now, event_key, triggered, MAX_DEPTH};
use foliodesk_core::{Command, Error, Result, Ticket, TicketId};

use crate::Desk;

impl Desk {
    /// Runs the event rules that `types` (the events just appended to `ticket`) trigger,
    /// then those their own events trigger, up to [`MAX_DEPTH`] rounds. Returns the ticket
    /// as the last rule left it.
    ///
    /// A rule whose action the process refuses (the ticket moved on, say) does nothing:
    /// its whole append is refused, and the command that triggered it stands.
    pub(crate) async fn answer(
        &self,
        mut ticket: Ticket,
        mut types: Vec<&'static str>,
        now: DateTime<Utc>,
    ) -> Result<Ticket> {
        let rules = self.rules();
        for _ in 0..MAX_DEPTH {
            let fire: Vec<String> = triggered(&rules.config.rules, &ticket, &types)
                .into_iter()
                .map(|r| r.id.clone())
                .collect();
            if fire.is_empty() {
                break;
            }
            let key = event_key(ticket.version);
            let mut next = Vec::new();
            for rule in fire {
                let command = Command::RunRule {
                    rule: rule.clone(),
                    key: key.clone(),
                };
                match self
                    .run_once(&actor_of(&rule), &ticket.id, &command, now)
                    .await
                {
                    Ok((_, after, more)) => {
                        ticket = after;
                        next.extend(more);
                    }
                    Err(e) if refused(&e) => {}
                    Err(e) => return Err(e),
                }
            }
            types = next;
        }
        Ok(ticket)
    }

    /// Runs the time rules due on `ticket` at `now`; returns the ids of those that acted.
    pub(crate) async fn run_due_rules(
        &self,
        ticket: &Ticket,
        now: DateTime<Utc>,
    ) -> Result<Vec<(TicketId, String)>> {
        let rules = self.rules();
        let mut fired = Vec::new();
        for (rule, key) in due_now(&rules.config.rules, ticket, &rules.sla, now) {
            let command = Command::RunRule {
                rule: rule.id.clone(),
                key,
            };
            match self
                .run(&actor_of(&rule.id), &ticket.id, &command, now)
                .await
            {
                Ok(_) => fired.push((ticket.id.clone(), rule.id.clone())),
                Err(e) if refused(&e) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(fired)
    }
}

/// The process said no (the ticket moved on, an action does not fit it now), as opposed
/// to the store failing.
fn refused(e: &Error) -> bool {
    matches!(
        e,
        Error::InvalidTransition { .. } | Error::Validation { .. } | Error::PermissionDenied { .. }
    )
}
