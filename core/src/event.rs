//! Events: what happened to a ticket, and the envelope that chains them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::command::EscalationKind;
use crate::edit::Edited;
use crate::priority::{Impact, Priority, PriorityOverride, Urgency};
use crate::security::SecurityRecord;
use crate::sla::Target;
use crate::status::{Status, SupportLevel, WaitingOn};
use crate::vocabulary::{CancelReason, Category, Channel, TicketKind, Visibility};
use crate::{OrgId, TeamId, TicketId, UserId};

/// The schema version written with every event, so older payloads can be upcast later.
pub const EVENT_SCHEMA: u16 = 1;

/// The registration of a ticket: everything known at intake.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[allow(missing_docs)] // same fields as `Ticket`
pub struct Opened {
    pub folio: String,
    pub kind: TicketKind,
    pub channel: Channel,
    pub title: String,
    pub description: String,
    pub requester: UserId,
    pub organisation: Option<OrgId>,
    pub services: Vec<String>,
    pub configuration_items: Vec<String>,
    pub category: Option<Category>,
    pub tags: Vec<String>,
    pub impact: Impact,
    pub urgency: Urgency,
    pub users_affected: u32,
    pub priority: Priority,
    pub possible_causes: Vec<String>,
    pub assigned_resources: Vec<String>,
    pub security: Option<SecurityRecord>,
    pub level: SupportLevel,
}

/// Something that happened to a ticket. `decide` produces them; `Ticket::apply` folds them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
#[allow(missing_docs)] // each variant mirrors the command of the same name
pub enum Event {
    /// The ticket was registered.
    Opened(Box<Opened>),
    /// A comment or internal note was added. `by_staff` marks an agent's reply.
    Commented {
        number: u32,
        body: String,
        visibility: Visibility,
        by_staff: bool,
    },
    /// Routed to a team and/or technician. `strategy` is set when the team's assignment
    /// strategy chose the technician rather than a person.
    Assigned {
        team: Option<TeamId>,
        assignee: Option<UserId>,
        level: SupportLevel,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        strategy: Option<crate::assignment::Strategy>,
    },
    /// Kind or category changed.
    Reclassified {
        kind: TicketKind,
        category: Option<Category>,
        /// Set when the classifier chose the category: its confidence, in percent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        confidence: Option<u8>,
    },
    /// Impact, urgency, users affected or the manual priority changed.
    PriorityChanged {
        impact: Impact,
        urgency: Urgency,
        users_affected: u32,
        priority: Priority,
        manual: Option<PriorityOverride>,
    },
    /// Waiting on the requester.
    PendingSet {
        reason: String,
        #[serde(default, skip_serializing_if = "WaitingOn::is_requester")]
        waiting_on: WaitingOn,
    },
    /// No longer waiting; `on_reply` when the requester's comment resumed it.
    Resumed { on_reply: bool },
    /// Escalated functionally (new level and team) or hierarchically (supervisor notified).
    Escalated {
        kind: EscalationKind,
        from_level: SupportLevel,
        to_level: SupportLevel,
        team: Option<TeamId>,
        notify: Vec<UserId>,
        reason: String,
    },
    /// A solution was proposed.
    SolutionProposed { solution: String },
    /// The solution was accepted, by the requester or (`auto`) by the desk after the delay.
    SolutionConfirmed { auto: bool },
    /// The requester said it is not solved.
    SolutionRejected { reason: String },
    /// The requester rated the service.
    Rated { score: u8, comment: Option<String> },
    /// The owner's review closed the ticket.
    Closed { note: Option<String> },
    /// Cancelled or rejected.
    Cancelled { reason: CancelReason, note: String },
    /// A closed ticket was reopened.
    Reopened { reason: String },
    /// Someone was added to the watchers.
    WatcherAdded { user: UserId },
    /// Fields of the ISO 27001 record were set.
    SecurityUpdated(SecurityRecord),
    /// An SLA escalation rule fired: `target` reached `percent` of its time (`repeat` 0
    /// the first time). Any escalation it caused follows as its own `escalated` event.
    SlaAlert {
        target: Target,
        percent: u16,
        repeat: u32,
        notify: Vec<UserId>,
        /// Teams whose every member is told (`notify_team`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        teams: Vec<TeamId>,
    },
    /// The requester was told where the ticket stands because no public update came within
    /// the policy's interval (an `inform_requester` SLA action). Not an update itself: the
    /// update clock keeps running, so the staff's SLA still shows the gap.
    StatusReported { status: Status, level: SupportLevel },
    /// Descriptive fields changed, each with its value before and after.
    Edited(Box<Edited>),
    /// The events before it in this append were the effect of an inbound message.
    Received {
        message_id: String,
        channel: Channel,
        /// The conversation or correlation key it came under.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        thread_key: Option<String>,
        /// The files that came with it.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<crate::attachment::Attachment>,
    },
    /// A file was put on the ticket.
    Attached(crate::attachment::Attachment),
    /// What the ticket is about happened again (`occurrences` counts the opening one), or
    /// its source reports it `cleared`.
    Recurred {
        occurrences: u32,
        summary: String,
        cleared: bool,
    },
    /// The ticket was brought from another help desk, where it was `reference` (see
    /// [`crate::import`]): the last event of its imported history, at the instant and by
    /// the person of the import. `passed` are the escalation thresholds its SLA clocks had
    /// crossed by then: recorded as fired, so the desk does not page for its past.
    Imported {
        source: String,
        reference: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        passed: Vec<crate::sla::SlaAlertKey>,
    },
    /// A problem's record changed: its root cause, workaround and state as they now are.
    ProblemUpdated {
        root_cause: Option<String>,
        workaround: Option<String>,
        state: crate::problem::ProblemState,
    },
    /// This incident was linked to `problem` (its cause is investigated there).
    ProblemLinked { problem: TicketId },
    /// This incident is no longer linked to `problem`.
    ProblemUnlinked { problem: TicketId },
    /// Rule `rule` answered trigger `key` (an event's append, or a milestone's time); the
    /// events after it in the same append are its actions.
    RuleFired { rule: String, key: String },
}

/// Every event type name, as [`Event::type_name`] gives it.
pub const EVENT_TYPES: &[&str] = &[
    "opened",
    "commented",
    "assigned",
    "reclassified",
    "priority_changed",
    "pending_set",
    "resumed",
    "escalated",
    "solution_proposed",
    "solution_confirmed",
    "solution_rejected",
    "rated",
    "closed",
    "cancelled",
    "reopened",
    "watcher_added",
    "security_updated",
    "sla_alert",
    "status_reported",
    "edited",
    "received",
    "recurred",
    "attached",
    "imported",
    "problem_updated",
    "problem_linked",
    "problem_unlinked",
    "rule_fired",
];

impl Event {
    /// The event's type name, as stored.
    pub fn type_name(&self) -> &'static str {
        match self {
            Event::Opened(_) => "opened",
            Event::Commented { .. } => "commented",
            Event::Assigned { .. } => "assigned",
            Event::Reclassified { .. } => "reclassified",
            Event::PriorityChanged { .. } => "priority_changed",
            Event::PendingSet { .. } => "pending_set",
            Event::Resumed { .. } => "resumed",
            Event::Escalated { .. } => "escalated",
            Event::SolutionProposed { .. } => "solution_proposed",
            Event::SolutionConfirmed { .. } => "solution_confirmed",
            Event::SolutionRejected { .. } => "solution_rejected",
            Event::Rated { .. } => "rated",
            Event::Closed { .. } => "closed",
            Event::Cancelled { .. } => "cancelled",
            Event::Reopened { .. } => "reopened",
            Event::WatcherAdded { .. } => "watcher_added",
            Event::SecurityUpdated(_) => "security_updated",
            Event::SlaAlert { .. } => "sla_alert",
            Event::StatusReported { .. } => "status_reported",
            Event::Edited(_) => "edited",
            Event::Received { .. } => "received",
            Event::Recurred { .. } => "recurred",
            Event::Attached(_) => "attached",
            Event::Imported { .. } => "imported",
            Event::ProblemUpdated { .. } => "problem_updated",
            Event::ProblemLinked { .. } => "problem_linked",
            Event::ProblemUnlinked { .. } => "problem_unlinked",
            Event::RuleFired { .. } => "rule_fired",
        }
    }

    /// Whether a requester may see this event in the history. Internal notes, escalations,
    /// priority work and the security record stay with the staff.
    pub fn is_public(&self) -> bool {
        match self {
            Event::Commented { visibility, .. } => *visibility == Visibility::Public,
            Event::Edited(e) => e.has_public_part(),
            Event::Attached(a) => a.visibility == Visibility::Public,
            Event::Escalated { .. }
            | Event::PriorityChanged { .. }
            | Event::Reclassified { .. }
            | Event::WatcherAdded { .. }
            | Event::SecurityUpdated(_)
            | Event::SlaAlert { .. }
            | Event::Received { .. }
            | Event::Recurred { .. }
            | Event::Imported { .. }
            | Event::ProblemUpdated { .. }
            | Event::ProblemLinked { .. }
            | Event::ProblemUnlinked { .. }
            | Event::RuleFired { .. } => false,
            _ => true,
        }
    }
}

/// An event as stored: who, when, where in the ticket's chain, and the hashes that make the
/// history tamper-evident (see [`crate::hash`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EventEnvelope {
    /// The ticket.
    pub ticket_id: TicketId,
    /// 1 for the `opened` event, then +1 per event.
    pub sequence: u64,
    /// When it happened (microsecond precision).
    pub at: DateTime<Utc>,
    /// Who did it (`system` for the desk itself).
    pub actor: UserId,
    /// Payload schema version.
    pub schema: u16,
    /// What happened.
    pub event: Event,
    /// Hash of the previous event of this ticket (zeros for the first).
    pub prev_hash: String,
    /// SHA-256 of this envelope's canonical encoding, hex.
    pub hash: String,
}

/// An event decided but not yet stored: the store gives it a sequence and hashes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PendingEvent {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who did it.
    pub actor: UserId,
    /// What happened.
    pub event: Event,
}

impl PendingEvent {
    /// Stamps decided events with when and by whom, ready for an append.
    pub fn batch(events: Vec<Event>, at: DateTime<Utc>, actor: &UserId) -> Vec<PendingEvent> {
        events
            .into_iter()
            .map(|event| PendingEvent {
                at,
                actor: actor.clone(),
                event,
            })
            .collect()
    }
}
