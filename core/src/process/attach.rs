//! Attach (seed step 7): a file on the ticket — a screenshot from the requester, a log
//! from the technician. The bytes are in the store already; the event records what they are
//! and who may see them. Requesters attach public files only.

use crate::attachment::{validate, Attachment};
use crate::command::CommandKind;
use crate::event::Event;
use crate::vocabulary::Visibility;
use crate::{Error, Result};

use crate::decide::Decision;

impl Decision<'_> {
    pub(crate) fn attach(&self, attachment: &Attachment) -> Result<Vec<Event>> {
        if !self.actor.role.is_staff() && attachment.visibility == Visibility::Internal {
            return Err(Error::PermissionDenied {
                role: self.actor.role,
                command: CommandKind::Attach,
                reason: "requesters cannot attach internal files".to_owned(),
            });
        }
        let attachment = validate(attachment, &self.ctx.config.attachments)?;
        Ok(vec![Event::Attached(attachment)])
    }
}
