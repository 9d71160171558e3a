//! Time-driven work: when a ticket next needs the desk's attention without anyone acting.

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::status::Status;
use crate::ticket::Ticket;

/// The instant at which `tick` must look at this ticket again, if any. Stores index it, so
/// the sweep reads only what is due.
///
/// Today: a resolved ticket auto-confirms after `lifecycle.auto_confirm_after`.
pub fn next_due(ticket: &Ticket, config: &Config) -> Option<DateTime<Utc>> {
    match ticket.status {
        Status::Resolved => ticket
            .milestones
            .resolved_at
            .map(|t| t + config.auto_confirm_after()),
        _ => None,
    }
}
