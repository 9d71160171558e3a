//! Commands: what an actor asks the desk to do to a ticket.

use crate::edit::TicketEdit;
use serde::{Deserialize, Serialize};

use crate::attachment::Attachment;

use crate::security::SecurityRecord;
use crate::sla::{EscalationAction, Target};
use crate::status::WaitingOn;
use crate::vocab::string_enum;
use crate::vocabulary::{CancelReason, Channel, TicketKind, Visibility};
use crate::{OrgId, TeamId, TicketId, UserId};

/// Everything needed to register a ticket.
///
/// ```
/// use foliodesk_core::{Channel, NewTicket, TicketKind};
/// let t = NewTicket::new(TicketKind::Incident, Channel::Email, "ana", "Printer jams")
///     .description("Third floor printer jams on every page");
/// assert_eq!(t.requester.as_str(), "ana");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewTicket {
    /// The nature of the ticket.
    pub kind: TicketKind,
    /// Where it came from.
    pub channel: Channel,
    /// One-line summary (required).
    pub title: String,
    /// Full description.
    pub description: String,
    /// Who it is for. Requesters may only open for themselves.
    pub requester: UserId,
    /// Defaults to the requester's organisation.
    pub organisation: Option<OrgId>,
    /// Affected services (checked against the organisation's contract).
    pub services: Vec<String>,
    /// Affected configuration items.
    pub configuration_items: Vec<String>,
    /// Category path; must be configured. Routes to the category's team.
    pub category: Option<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// 1..=5; defaults to the configured default.
    pub impact: Option<u8>,
    /// 1..=5; defaults to the configured default.
    pub urgency: Option<u8>,
    /// How many users are affected (raises impact past thresholds).
    pub users_affected: u32,
    /// Possible causes noted at intake (agents only).
    pub possible_causes: Vec<String>,
    /// Resources assigned to the case (agents only).
    pub assigned_resources: Vec<String>,
    /// Present for information-security incidents.
    pub security: Option<SecurityRecord>,
    /// Explicit team (agents only); otherwise routed by category.
    pub team: Option<TeamId>,
    /// Explicit assignee (agents only).
    pub assignee: Option<UserId>,
}

impl Default for NewTicket {
    fn default() -> Self {
        NewTicket {
            kind: TicketKind::Incident,
            channel: Channel::Portal,
            title: String::new(),
            description: String::new(),
            requester: UserId::new(""),
            organisation: None,
            services: Vec::new(),
            configuration_items: Vec::new(),
            category: None,
            tags: Vec::new(),
            impact: None,
            urgency: None,
            users_affected: 1,
            possible_causes: Vec::new(),
            assigned_resources: Vec::new(),
            security: None,
            team: None,
            assignee: None,
        }
    }
}

impl NewTicket {
    /// A ticket with the required fields; the rest take their defaults.
    pub fn new(
        kind: TicketKind,
        channel: Channel,
        requester: impl Into<UserId>,
        title: impl Into<String>,
    ) -> NewTicket {
        NewTicket {
            kind,
            channel,
            requester: requester.into(),
            title: title.into(),
            ..NewTicket::default()
        }
    }

    /// Sets the description.
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = text.into();
        self
    }

    /// Sets the category path.
    pub fn category(mut self, path: impl Into<String>) -> Self {
        self.category = Some(path.into());
        self
    }

    /// Sets impact and urgency.
    pub fn impact_urgency(mut self, impact: u8, urgency: u8) -> Self {
        self.impact = Some(impact);
        self.urgency = Some(urgency);
        self
    }
}

/// A change of impact, urgency, users affected or a manual override.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PriorityChange {
    /// New impact, 1..=5.
    pub impact: Option<u8>,
    /// New urgency, 1..=5.
    pub urgency: Option<u8>,
    /// New count of users affected.
    pub users_affected: Option<u32>,
    /// A manual priority, 1..=5; needs `reason`.
    pub manual: Option<u8>,
    /// Drop an earlier manual priority and go back to the computed one.
    pub clear_manual: bool,
    /// Why (required with `manual`).
    pub reason: Option<String>,
}

string_enum!(
    /// The two ways to escalate (seed step "escalar").
    EscalationKind, "escalation" {
        /// To the next support level's team (more knowledge).
        Functional = "functional",
        /// To the supervisor/manager (decisions and resources).
        Hierarchical = "hierarchical",
    }
);

/// A command on a ticket. [`crate::decide()`] turns it into events or refuses it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "command", rename_all = "snake_case")]
#[allow(missing_docs)] // the fields are documented by the facade methods that build them
pub enum Command {
    /// Register a new ticket.
    Open(Box<NewTicket>),
    /// Add a public comment or an internal note. A requester's comment on a pending ticket
    /// resumes it.
    Comment {
        body: String,
        visibility: Visibility,
    },
    /// Route to a team and/or technician. A new ticket becomes open.
    Assign {
        team: Option<TeamId>,
        assignee: Option<UserId>,
    },
    /// Change kind and/or category.
    Reclassify {
        kind: Option<TicketKind>,
        category: Option<String>,
    },
    /// Change impact, urgency, users affected or the manual priority.
    ChangePriority(PriorityChange),
    /// Wait on the requester (by default) or on someone else; the SLA policy says which
    /// clocks pause for which wait.
    SetPending {
        reason: String,
        #[serde(default)]
        waiting_on: WaitingOn,
    },
    /// Stop waiting on the requester.
    Resume,
    /// Escalate by hand (the SLA engine uses the same event). Functional escalation without
    /// a team goes to the first team (by id) at the next level.
    Escalate {
        kind: EscalationKind,
        team: Option<TeamId>,
        reason: String,
    },
    /// Propose a solution; locks the ticket for technicians.
    ProposeSolution { solution: String },
    /// The requester accepts the solution.
    ConfirmSolution,
    /// The requester says it is not solved: back to open, reopen count + 1.
    RejectSolution { reason: String },
    /// The desk accepts a solution nobody answered within the configured delay.
    AutoConfirm,
    /// The requester rates the service, 1..=5, once.
    Rate { score: u8, comment: Option<String> },
    /// The owner's final review closes the ticket.
    Close { note: Option<String> },
    /// Cancel or reject with a reason.
    Cancel { reason: CancelReason, note: String },
    /// Reopen a closed ticket within the configured window.
    Reopen { reason: String },
    /// Add someone who is notified of public changes.
    AddWatcher { user: UserId },
    /// Add to (or start) the ISO 27001 security record.
    UpdateSecurity(SecurityRecord),
    /// Record an SLA escalation rule firing and do what it says (the desk's `tick`).
    SlaAlert {
        target: Target,
        percent: u16,
        repeat: u32,
        actions: Vec<EscalationAction>,
    },
    /// Change descriptive fields: title, description, services, configuration items,
    /// possible causes, assigned resources, tags, users affected.
    Edit(TicketEdit),
    /// What the ticket is about happened again (a monitoring event under the same
    /// correlation key), or `cleared`: its source reports it recovered. On a resolved
    /// ticket a repeat means the solution did not hold: the ticket reopens.
    Recur { summary: String, cleared: bool },
    /// Put a file on the ticket; its bytes are already in the store under `sha256`.
    /// Requesters attach public files only.
    Attach { attachment: Attachment },
    /// Apply macro `macro_id`: its response, field changes and status in one append.
    ApplyMacro { macro_id: String },
    /// Set a problem's root cause, workaround or state (`analysis`, `known_error`).
    UpdateProblem(crate::problem::ProblemUpdate),
    /// Link this incident to problem `problem` (the desk checks it is one).
    LinkProblem { problem: TicketId },
    /// Undo the incident's link to its problem.
    UnlinkProblem,
    /// Run rule `rule` (`[[rules]]`) for trigger `key`: its actions in one append, after a
    /// `rule_fired` event. The desk itself issues it.
    RunRule { rule: String, key: String },
    /// `then`, as the effect of an inbound message, recorded with the message's id in the
    /// same append so that the message is never applied twice.
    Received {
        message_id: String,
        channel: Channel,
        /// The conversation or correlation key the message came under (a chat session,
        /// a monitoring check), recorded on the ticket.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        thread_key: Option<String>,
        /// The files that came with it, already in the store.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<Attachment>,
        then: Box<Command>,
    },
}

string_enum!(
    /// The name of a command, as used by the transition and permission tables.
    CommandKind, "command" {
        /// [`Command::Open`].
        Open = "open",
        /// [`Command::Comment`].
        Comment = "comment",
        /// [`Command::Assign`].
        Assign = "assign",
        /// [`Command::Reclassify`].
        Reclassify = "reclassify",
        /// [`Command::ChangePriority`].
        ChangePriority = "change_priority",
        /// [`Command::SetPending`].
        SetPending = "set_pending",
        /// [`Command::Resume`].
        Resume = "resume",
        /// [`Command::Escalate`].
        Escalate = "escalate",
        /// [`Command::ProposeSolution`].
        ProposeSolution = "propose_solution",
        /// [`Command::ConfirmSolution`].
        ConfirmSolution = "confirm_solution",
        /// [`Command::RejectSolution`].
        RejectSolution = "reject_solution",
        /// [`Command::AutoConfirm`].
        AutoConfirm = "auto_confirm",
        /// [`Command::Rate`].
        Rate = "rate",
        /// [`Command::Close`].
        Close = "close",
        /// [`Command::Cancel`].
        Cancel = "cancel",
        /// [`Command::Reopen`].
        Reopen = "reopen",
        /// [`Command::AddWatcher`].
        AddWatcher = "add_watcher",
        /// [`Command::UpdateSecurity`].
        UpdateSecurity = "update_security",
        /// [`Command::SlaAlert`].
        SlaAlert = "sla_alert",
        /// [`Command::Edit`].
        Edit = "edit",
        /// [`Command::Recur`].
        Recur = "recur",
        /// [`Command::Attach`].
        Attach = "attach",
        /// [`Command::ApplyMacro`].
        ApplyMacro = "apply_macro",
        /// [`Command::UpdateProblem`].
        UpdateProblem = "update_problem",
        /// [`Command::LinkProblem`].
        LinkProblem = "link_problem",
        /// [`Command::UnlinkProblem`].
        UnlinkProblem = "unlink_problem",
        /// [`Command::RunRule`].
        RunRule = "run_rule",
    }
);

impl Command {
    /// The command's name.
    pub fn kind(&self) -> CommandKind {
        match self {
            Command::Open(_) => CommandKind::Open,
            Command::Comment { .. } => CommandKind::Comment,
            Command::Assign { .. } => CommandKind::Assign,
            Command::Reclassify { .. } => CommandKind::Reclassify,
            Command::ChangePriority(_) => CommandKind::ChangePriority,
            Command::SetPending { .. } => CommandKind::SetPending,
            Command::Resume => CommandKind::Resume,
            Command::Escalate { .. } => CommandKind::Escalate,
            Command::ProposeSolution { .. } => CommandKind::ProposeSolution,
            Command::ConfirmSolution => CommandKind::ConfirmSolution,
            Command::RejectSolution { .. } => CommandKind::RejectSolution,
            Command::AutoConfirm => CommandKind::AutoConfirm,
            Command::Rate { .. } => CommandKind::Rate,
            Command::Close { .. } => CommandKind::Close,
            Command::Cancel { .. } => CommandKind::Cancel,
            Command::Reopen { .. } => CommandKind::Reopen,
            Command::AddWatcher { .. } => CommandKind::AddWatcher,
            Command::UpdateSecurity(_) => CommandKind::UpdateSecurity,
            Command::SlaAlert { .. } => CommandKind::SlaAlert,
            Command::Edit(_) => CommandKind::Edit,
            Command::Recur { .. } => CommandKind::Recur,
            Command::Attach { .. } => CommandKind::Attach,
            Command::ApplyMacro { .. } => CommandKind::ApplyMacro,
            Command::UpdateProblem(_) => CommandKind::UpdateProblem,
            Command::LinkProblem { .. } => CommandKind::LinkProblem,
            Command::UnlinkProblem => CommandKind::UnlinkProblem,
            Command::RunRule { .. } => CommandKind::RunRule,
            Command::Received { then, .. } => then.kind(),
        }
    }

    /// Users the decision needs to know about (besides the actor and the ticket's people).
    pub fn referenced_users(&self) -> Vec<UserId> {
        match self {
            Command::Open(t) => [Some(t.requester.clone()), t.assignee.clone()]
                .into_iter()
                .flatten()
                .collect(),
            Command::Assign { assignee, .. } => assignee.iter().cloned().collect(),
            Command::AddWatcher { user } => vec![user.clone()],
            Command::Received { then, .. } => then.referenced_users(),
            _ => Vec::new(),
        }
    }
}
