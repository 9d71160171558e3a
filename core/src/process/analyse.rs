//! Analyse (seed step 7): comments and internal notes (a requester's reply resumes a
//! pending ticket), waiting, watchers, and the security record.

use crate::command::CommandKind;
use crate::event::Event;
use crate::security::SecurityRecord;
use crate::status::{Status, WaitingOn};
use crate::vocabulary::Visibility;
use crate::{Error, Result, UserId};

use crate::decide::{text, Decision, MAX_TEXT};

impl Decision<'_> {
    pub(crate) fn comment(&self, body: &str, visibility: Visibility) -> Result<Vec<Event>> {
        let by_staff = self.actor.role.is_staff();
        if !by_staff && visibility == Visibility::Internal {
            return Err(Error::PermissionDenied {
                role: self.actor.role,
                command: CommandKind::Comment,
                reason: "requesters cannot write internal notes".to_owned(),
            });
        }
        let number = u32::try_from(self.ticket.comments.len() + 1).unwrap_or(u32::MAX);
        let mut events = vec![Event::Commented {
            number,
            body: text("body", body, MAX_TEXT)?,
            visibility,
            // A rule's words are no person's answer: the first-response clock keeps running.
            by_staff: by_staff && !crate::automation::is_rule(&self.actor.id),
        }];
        // The requester's reply is what a pending ticket was waiting for.
        if self.ticket.status == Status::Pending && self.actor.id == self.ticket.requester {
            events.push(Event::Resumed { on_reply: true });
        }
        Ok(events)
    }
}

/// Waiting, the people who follow the ticket, and the ISO 27001 record the technician
/// keeps while analysing.
impl Decision<'_> {
    pub(crate) fn set_pending(&self, reason: &str, waiting_on: WaitingOn) -> Result<Vec<Event>> {
        Ok(vec![Event::PendingSet {
            reason: text("reason", reason, MAX_TEXT)?,
            waiting_on,
        }])
    }

    pub(crate) fn add_watcher(&self, user: &UserId) -> Result<Vec<Event>> {
        self.ctx.facts.user("user", user)?;
        if self.ticket.involves(user) {
            return Err(Error::validation(
                "user",
                format!("`{user}` already follows it"),
            ));
        }
        Ok(vec![Event::WatcherAdded { user: user.clone() }])
    }

    pub(crate) fn update_security(&self, update: &SecurityRecord) -> Result<Vec<Event>> {
        if *update == SecurityRecord::default() {
            return Err(Error::validation("security", "nothing to record"));
        }
        let merged = (self.ticket.security.clone().unwrap_or_default()).merged(update);
        merged.validate(self.ctx.now)?;
        Ok(vec![Event::SecurityUpdated(update.clone())])
    }
}
