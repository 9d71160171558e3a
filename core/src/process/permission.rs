//! Who may do what: one table of role × command.

use crate::command::CommandKind;
use crate::directory::Role;

use CommandKind as C;

/// How far a role's right to a command reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Not at all.
    Denied,
    /// Only on tickets where the actor is the requester.
    AsRequester,
    /// On tickets where the actor is the requester or a watcher.
    AsInvolved,
    /// On any ticket.
    Any,
}

/// The permission table.
///
/// | command | requester | agent | supervisor, admin | system |
/// |---|---|---|---|---|
/// | open | for themselves | any | any | – |
/// | comment, attach (public only for requesters), add_watcher | involved | any | any | – |
/// | confirm_solution, reject_solution, rate | as requester | – | – | – |
/// | cancel (only `withdrawn` for requesters), reopen | as requester | any | any | – |
/// | edit (requesters: the fields `intake.requester_may_edit` lists) | as requester | any | any | – |
/// | assign, reclassify, change_priority, set_pending, resume, escalate, propose_solution, update_security | – | any | any | – |
/// | update_problem, link_problem, unlink_problem | – | any | any | – |
/// | close (owner review) | – | – | any | – |
/// | auto_confirm, sla_alert, recur (a monitoring event again, or cleared), run_rule | – | – | – | any |
pub fn access(role: Role, command: CommandKind) -> Access {
    match (role, command) {
        (Role::System, C::AutoConfirm | C::SlaAlert | C::Recur | C::RunRule) => Access::Any,
        (Role::System, _) | (_, C::AutoConfirm | C::SlaAlert | C::Recur | C::RunRule) => {
            Access::Denied
        }
        (Role::Requester, C::Open | C::ConfirmSolution | C::RejectSolution | C::Rate) => {
            Access::AsRequester
        }
        // Which fields a requester may edit is configuration (`intake.requester_may_edit`).
        (Role::Requester, C::Cancel | C::Reopen | C::Edit) => Access::AsRequester,
        (Role::Requester, C::Comment | C::Attach | C::AddWatcher) => Access::AsInvolved,
        (Role::Requester, _) => Access::Denied,
        // The requester's own answers are theirs alone: staff cannot validate for them.
        (_, C::ConfirmSolution | C::RejectSolution | C::Rate) => Access::Denied,
        (Role::Agent, C::Close) => Access::Denied,
        (Role::Agent | Role::Supervisor | Role::Admin, _) => Access::Any,
    }
}

/// Whether `role` may change the directory (users, organisations, teams) and the
/// configuration: admins, and the desk itself (the host provisioning it).
pub fn may_administer(role: Role) -> bool {
    matches!(role, Role::Admin | Role::System)
}
