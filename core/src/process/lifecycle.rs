//! The state machine: one explicit table of which command may run in which status.

use crate::command::CommandKind;
use crate::status::Status;
use crate::{Error, Result};

use CommandKind as C;
use Status::{Cancelled, Closed, Confirmed, New, Open, Pending, Resolved};

/// Where a command leaves the ticket (the table's last column; a test runs every cell).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Into this status.
    To(Status),
    /// In the status it was in.
    Same,
    /// Depends on the arguments (documented on the command).
    Varies,
}

/// For each command on an existing ticket: the statuses it may run in and where it leaves
/// the ticket. Anything not listed is an [`Error::InvalidTransition`].
///
/// | command | from | to |
/// |---|---|---|
/// | comment, reclassify, change_priority, add_watcher | new, open, pending | same |
/// | assign | new, open, pending | open once a technician is named |
/// | escalate | new, open, pending | same (level and team change) |
/// | cancel | new, open, pending | cancelled |
/// | set_pending | open | pending |
/// | resume | pending | open |
/// | propose_solution | open | resolved |
/// | confirm_solution, auto_confirm | resolved | confirmed (closed without owner review) |
/// | reject_solution | resolved | open, reopen count + 1 |
/// | rate | confirmed, closed | same |
/// | close | confirmed | closed |
/// | reopen | closed (within the window) | open, reopen count + 1 |
/// | update_security | all but cancelled | same |
/// | add_watcher | also resolved, confirmed | same |
/// | sla_alert | new, open, pending | same (an escalation it causes changes level and team) |
/// | attach | new, open, pending, resolved | same |
/// | apply_macro | new, open, pending | as its steps leave it (each checked here) |
/// | recur | new, open, pending, resolved | same; from resolved a repeat reopens (count + 1); on open a recovery may resolve |
/// | update_problem, link_problem, unlink_problem | new, open, pending, resolved | same |
pub const TRANSITIONS: &[(CommandKind, &[Status], Outcome)] = &[
    (C::Comment, &[New, Open, Pending], Outcome::Varies),
    (C::Assign, &[New, Open, Pending], Outcome::Varies),
    (C::Reclassify, &[New, Open, Pending], Outcome::Same),
    (C::ChangePriority, &[New, Open, Pending], Outcome::Same),
    (C::Edit, &[New, Open, Pending, Resolved], Outcome::Same),
    (C::Escalate, &[New, Open, Pending], Outcome::Same),
    (C::SlaAlert, &[New, Open, Pending], Outcome::Same),
    (C::Recur, &[New, Open, Pending, Resolved], Outcome::Varies),
    (C::Attach, &[New, Open, Pending, Resolved], Outcome::Same),
    (C::ApplyMacro, &[New, Open, Pending], Outcome::Varies),
    (
        C::UpdateProblem,
        &[New, Open, Pending, Resolved],
        Outcome::Same,
    ),
    (
        C::LinkProblem,
        &[New, Open, Pending, Resolved],
        Outcome::Same,
    ),
    (
        C::UnlinkProblem,
        &[New, Open, Pending, Resolved],
        Outcome::Same,
    ),
    (
        C::RunRule,
        &[New, Open, Pending, Resolved, Confirmed, Closed],
        Outcome::Varies,
    ),
    (C::Cancel, &[New, Open, Pending], Outcome::To(Cancelled)),
    (C::SetPending, &[Open], Outcome::To(Pending)),
    (C::Resume, &[Pending], Outcome::To(Open)),
    (C::ProposeSolution, &[Open], Outcome::To(Resolved)),
    (C::ConfirmSolution, &[Resolved], Outcome::Varies),
    (C::AutoConfirm, &[Resolved], Outcome::Varies),
    (C::RejectSolution, &[Resolved], Outcome::To(Open)),
    (C::Rate, &[Confirmed, Closed], Outcome::Same),
    (C::Close, &[Confirmed], Outcome::To(Closed)),
    (C::Reopen, &[Closed], Outcome::To(Open)),
    (
        C::AddWatcher,
        &[New, Open, Pending, Resolved, Confirmed],
        Outcome::Same,
    ),
    (
        C::UpdateSecurity,
        &[New, Open, Pending, Resolved, Confirmed, Closed],
        Outcome::Same,
    ),
];

/// True when `command` may run on a ticket in `status`. `open` never runs on an existing
/// ticket.
pub fn allows(status: Status, command: CommandKind) -> bool {
    TRANSITIONS
        .iter()
        .any(|(c, from, _)| *c == command && from.contains(&status))
}

/// `Ok` when the table allows it, else the `InvalidTransition` error naming both.
pub fn check(status: Status, command: CommandKind) -> Result<()> {
    if allows(status, command) {
        Ok(())
    } else {
        Err(Error::InvalidTransition { status, command })
    }
}
