//! Review and close (seed step 12): the owner closes after review (a security incident
//! needs the responsible person's action and the follow-up control first); and cancelling,
//! which ends a ticket without a solution.

use crate::command::CommandKind;
use crate::directory::Role;
use crate::event::Event;
use crate::security::SecurityStep;
use crate::vocabulary::CancelReason;
use crate::{Error, Result};

use crate::decide::{text, Decision, MAX_TEXT};

impl Decision<'_> {
    pub(crate) fn close(&self, note: Option<&str>) -> Result<Vec<Event>> {
        self.ctx
            .config
            .security
            .check(self.ticket, SecurityStep::Close)?;
        let note = note.map(|n| text("note", n, MAX_TEXT)).transpose()?;
        Ok(vec![Event::Closed { note }])
    }

    pub(crate) fn cancel(&self, reason: CancelReason, note: &str) -> Result<Vec<Event>> {
        if self.actor.role == Role::Requester && reason != CancelReason::Withdrawn {
            return Err(Error::PermissionDenied {
                role: self.actor.role,
                command: CommandKind::Cancel,
                reason: "requesters may only withdraw their tickets".to_owned(),
            });
        }
        Ok(vec![Event::Cancelled {
            reason,
            note: text("note", note, MAX_TEXT)?,
        }])
    }
}
