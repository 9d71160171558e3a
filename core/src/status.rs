//! Ticket statuses and support levels.

use crate::vocab::string_enum;

string_enum!(
    /// Where a ticket is in its lifecycle (docs/process.md §2).
    Status, "status" {
        /// Registered, not yet assigned.
        New = "new",
        /// Assigned and being analysed.
        Open = "open",
        /// Waiting on the requester; the SLA clock pauses.
        Pending = "pending",
        /// A solution was proposed; locked for technicians until the requester answers.
        Resolved = "resolved",
        /// The requester (or the auto-confirm delay) accepted the solution.
        Confirmed = "confirmed",
        /// Reviewed by the owner and closed.
        Closed = "closed",
        /// Cancelled or rejected (not entitled, duplicate, spam, withdrawn).
        Cancelled = "cancelled",
    }
);

impl Status {
    /// Statuses in which work on the ticket is still expected.
    pub fn is_active(self) -> bool {
        matches!(self, Status::New | Status::Open | Status::Pending)
    }

    /// Statuses no ordinary command leaves (only `reopen` leaves `closed`).
    pub fn is_terminal(self) -> bool {
        matches!(self, Status::Closed | Status::Cancelled)
    }
}

string_enum!(
    /// Support level of a team or an agent: first, second or third line.
    SupportLevel, "level" {
        /// First line: service desk.
        N1 = "n1",
        /// Second line: specialists.
        N2 = "n2",
        /// Third line: experts, vendors, development.
        N3 = "n3",
    }
);

string_enum!(
    /// Whom a pending ticket waits on. SLA policies choose which clocks pause for which.
    WaitingOn, "waiting_on" {
        /// The requester must answer (the default); their reply resumes the ticket.
        Requester = "requester",
        /// A vendor or another provider.
        ThirdParty = "third_party",
        /// A scheduled change window.
        ChangeWindow = "change_window",
    }
);

// The enum comes from `string_enum!`, which has no place for `#[default]`.
#[allow(clippy::derivable_impls)]
impl Default for WaitingOn {
    fn default() -> Self {
        WaitingOn::Requester
    }
}

impl WaitingOn {
    /// Whether this is the default, which events leave out of their encoding (so events
    /// written before the field existed keep their hashes).
    pub fn is_requester(&self) -> bool {
        *self == WaitingOn::Requester
    }
}

impl SupportLevel {
    /// The next level up, if any (functional escalation).
    pub fn next(self) -> Option<SupportLevel> {
        match self {
            SupportLevel::N1 => Some(SupportLevel::N2),
            SupportLevel::N2 => Some(SupportLevel::N3),
            SupportLevel::N3 => None,
        }
    }
}
