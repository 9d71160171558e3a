//! Analyse (seed step 7): comments and internal notes; a requester's reply resumes a
//! pending ticket.

use crate::classify::Visibility;
use crate::command::CommandKind;
use crate::event::Event;
use crate::status::Status;
use crate::{Error, Result};

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
            by_staff,
        }];
        // The requester's reply is what a pending ticket was waiting for.
        if self.ticket.status == Status::Pending && self.actor.id == self.ticket.requester {
            events.push(Event::Resumed { on_reply: true });
        }
        Ok(events)
    }
}
