//! Notifications: who must hear of each event. Written to the outbox in the same
//! transaction as the events, so none is lost and none is sent for a change that failed.

use serde::{Deserialize, Serialize};

use crate::event::{Event, EventEnvelope};
use crate::ticket::Ticket;
use crate::{TicketId, UserId};

/// One message owed to one person about one event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Notification {
    /// Who must be told.
    pub recipient: UserId,
    /// About which ticket.
    pub ticket_id: TicketId,
    /// Its folio, for the message.
    pub folio: String,
    /// Which event.
    pub sequence: u64,
    /// The event's type name (`commented`, `solution_proposed`…).
    pub event: String,
    /// False for staff-only events: never sent to a requester.
    pub public: bool,
}

/// A notification waiting in a store's outbox, with the id used to acknowledge it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OutboxMessage {
    /// Store-assigned id, increasing in insertion order.
    pub id: u64,
    /// The message.
    pub notification: Notification,
}

/// The notifications for freshly sealed events, `ticket` being the state after them.
///
/// Public events go to the requester, the watchers and the assignee; staff-only events go
/// to the assignee; escalations also go to whom they name. Nobody is told of their own act.
pub fn derive(ticket: &Ticket, events: &[EventEnvelope]) -> Vec<Notification> {
    let mut out = Vec::new();
    for env in events {
        let public = env.event.is_public();
        let mut recipients: Vec<&UserId> = Vec::new();
        if public {
            recipients.push(&ticket.requester);
            recipients.extend(ticket.watchers.iter());
        }
        recipients.extend(ticket.assignee.iter());
        if let Event::Escalated { notify, .. } = &env.event {
            recipients.extend(notify.iter());
        }
        let mut seen: Vec<&UserId> = Vec::new();
        for r in recipients {
            if *r == env.actor || seen.contains(&r) {
                continue;
            }
            seen.push(r);
            out.push(Notification {
                recipient: r.clone(),
                ticket_id: env.ticket_id.clone(),
                folio: ticket.folio.clone(),
                sequence: env.sequence,
                event: env.event.type_name().to_owned(),
                public,
            });
        }
    }
    out
}
