//! What each actor may see: requesters never get internal notes, staff-only fields, or
//! other people's tickets.

use crate::classify::Visibility;
use crate::config::Config;
use crate::directory::{Role, User};
use crate::event::EventEnvelope;
use crate::ticket::Ticket;

/// Whether `actor` may see `ticket` at all.
pub fn can_view(actor: &User, ticket: &Ticket, config: &Config) -> bool {
    match actor.role {
        Role::Requester => {
            ticket.involves(&actor.id)
                || (config.lifecycle.requesters_see_organisation
                    && actor.organisation.is_some()
                    && actor.organisation == ticket.organisation)
        }
        _ => true,
    }
}

/// The ticket as `actor` may see it: for requesters, internal notes and staff-only fields
/// (possible causes, assigned resources, the security record, who overrode the priority)
/// are removed.
pub fn redact(actor: &User, mut ticket: Ticket) -> Ticket {
    if actor.role == Role::Requester {
        ticket
            .comments
            .retain(|c| c.visibility == Visibility::Public);
        ticket.possible_causes.clear();
        ticket.assigned_resources.clear();
        ticket.security = None;
        ticket.priority_override = None;
    }
    ticket
}

/// The history as `actor` may see it: requesters get only public events.
pub fn history(actor: &User, events: Vec<EventEnvelope>) -> Vec<EventEnvelope> {
    if actor.role == Role::Requester {
        events.into_iter().filter(|e| e.event.is_public()).collect()
    } else {
        events
    }
}
