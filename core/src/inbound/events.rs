//! Monitoring events (seed 004: tickets created from an event). Events under one
//! correlation key (`host/check`) go to the one ticket open for it: a repeat counts on it,
//! a recovery proposes its solution. Both act as the desk itself, not as the monitoring
//! system, which is never asked to validate anything.

use super::InboundMessage;
use crate::command::Command;
use crate::status::Status;
use crate::ticket::Ticket;
use crate::Config;

/// What `msg`, an event under `t`'s key, does on `t`: the command and why, or `None`
/// when `t` is done with (confirmed, closed, cancelled) and a new ticket must follow it.
pub(super) fn on_ticket(
    msg: &InboundMessage,
    t: &Ticket,
    summary: String,
    config: &Config,
) -> Option<(Command, String)> {
    let folio = &t.folio;
    let live = matches!(
        t.status,
        Status::New | Status::Open | Status::Pending | Status::Resolved
    );
    if !live {
        return None;
    }
    let recur = Command::Recur {
        summary,
        cleared: msg.recovery,
    };
    let why = match (msg.recovery, t.status) {
        (false, Status::Resolved) => format!("{folio} happened again: its solution did not hold"),
        (false, _) => format!("{folio} happened again ({} times)", t.occurrences + 1),
        (true, Status::Open) if config.intake.events.resolve_on_recovery => {
            format!("{folio} recovered: solution proposed")
        }
        (true, _) => format!("{folio} recovered: recorded"),
    };
    Some((recur, why))
}
