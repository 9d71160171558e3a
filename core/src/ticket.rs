//! The ticket aggregate: its state; [`fold`] turns events into it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::event::{Event, EventEnvelope};
use crate::priority::{Impact, Priority, PriorityOverride, Urgency};
use crate::security::SecurityRecord;
use crate::sla::{marks, SlaAlertKey, SlaMark};
use crate::status::{Status, SupportLevel};
use crate::vocabulary::{CancelReason, Category, Channel, TicketKind, Visibility};
use crate::{Error, OrgId, Result, TeamId, TicketId, UserId};

/// A comment or internal note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Comment {
    /// 1, 2, 3… within the ticket.
    pub number: u32,
    /// Who wrote it.
    pub author: UserId,
    /// When.
    pub at: DateTime<Utc>,
    /// The text.
    pub body: String,
    /// Public, or internal (never shown to requesters).
    pub visibility: Visibility,
}

/// The requester's rating of the service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Satisfaction {
    /// 1 (very unsatisfied) to 5 (very satisfied).
    pub score: u8,
    /// Optional words.
    pub comment: Option<String>,
    /// When it was given.
    pub at: DateTime<Utc>,
}

/// Why and how a ticket was cancelled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Cancellation {
    /// The reason.
    pub reason: CancelReason,
    /// Explanation.
    pub note: String,
}

/// When each milestone of the process was reached (the latest time, where it can repeat).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Milestones {
    /// Registered.
    pub opened_at: Option<DateTime<Utc>>,
    /// Last change of any kind.
    pub updated_at: Option<DateTime<Utc>>,
    /// First assigned to a technician.
    pub assigned_at: Option<DateTime<Utc>>,
    /// First public reply by staff.
    pub first_response_at: Option<DateTime<Utc>>,
    /// Waiting on the requester since (while pending).
    pub pending_since: Option<DateTime<Utc>>,
    /// Latest escalation.
    pub escalated_at: Option<DateTime<Utc>>,
    /// Latest solution proposed.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Solution accepted.
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Rated.
    pub rated_at: Option<DateTime<Utc>>,
    /// Closed by the owner.
    pub closed_at: Option<DateTime<Utc>>,
    /// Cancelled or rejected.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Latest reopen (or rejected solution).
    pub reopened_at: Option<DateTime<Utc>>,
    /// Latest SLA escalation alert.
    #[serde(default)]
    pub alerted_at: Option<DateTime<Utc>>,
}

/// A ticket: the state folded from its events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[allow(missing_docs)] // the fields are described in `NewTicket` and `Opened`
pub struct Ticket {
    pub id: TicketId,
    /// Human number, e.g. `INC-2026-000042`.
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
    /// The priority in force: the manual one if set, else the computed one.
    pub priority: Priority,
    pub priority_override: Option<PriorityOverride>,
    pub possible_causes: Vec<String>,
    pub assigned_resources: Vec<String>,
    pub status: Status,
    pub level: SupportLevel,
    pub team: Option<TeamId>,
    pub assignee: Option<UserId>,
    pub watchers: Vec<UserId>,
    pub pending_reason: Option<String>,
    pub solution: Option<String>,
    pub reopen_count: u32,
    pub escalation_count: u32,
    /// Of `escalation_count`, the hierarchical escalations (to a supervisor).
    #[serde(default)]
    pub hierarchical_escalations: u32,
    pub satisfaction: Option<Satisfaction>,
    pub cancellation: Option<Cancellation>,
    pub comments: Vec<Comment>,
    /// Present for information-security incidents (ISO 27001).
    pub security: Option<SecurityRecord>,
    pub milestones: Milestones,
    /// The SLA-relevant facts of the history (see [`crate::sla`]).
    #[serde(default)]
    pub sla_marks: Vec<SlaMark>,
    /// Escalation thresholds already fired.
    #[serde(default)]
    pub sla_alerts: Vec<SlaAlertKey>,
    /// Ids of the inbound messages applied to it (e-mail Message-IDs): one is never
    /// applied twice.
    #[serde(default)]
    pub received: Vec<String>,
    /// The conversation or correlation key its inbound messages came under (a chat
    /// session, a monitoring check), if any.
    #[serde(default)]
    pub thread_key: Option<String>,
    /// Where the ticket was before it was imported (see [`crate::import`]), if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported: Option<crate::import::ExternalRef>,
    /// How many times what it is about happened: 1, plus each `recurred` event.
    #[serde(default = "one")]
    pub occurrences: u32,
    /// The files on it (their bytes are in the store, by `sha256`).
    #[serde(default)]
    pub attachments: Vec<crate::attachment::Attachment>,
    /// The earliest due instant of the running SLA targets, as the desk computed it at the
    /// ticket's last change (in the past once breached; `None` when every clock is
    /// stopped or paused). Not part of the history: it indexes the SLA-state queues.
    #[serde(default)]
    pub sla_due: Option<DateTime<Utc>>,
    /// A problem's record (kind `problem` only): root cause, workaround, state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<crate::problem::ProblemRecord>,
    /// The problem this incident is linked to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem_id: Option<TicketId>,
    /// The triggers rules have answered on this ticket (`rule_fired` events), so a rule
    /// never answers one twice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules_fired: Vec<RuleMark>,
    /// Number of events folded; the optimistic-concurrency version.
    pub version: u64,
}

mod fold;
mod fold_problem;

fn one() -> u32 {
    1
}

/// A trigger a rule answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RuleMark {
    /// The rule's id.
    pub rule: String,
    /// The trigger (see [`crate::automation::time_key`], [`crate::automation::event_key`]).
    pub key: String,
}

impl Ticket {
    /// Whether rule `rule` answered trigger `key` already.
    pub fn fired(&self, rule: &str, key: &str) -> bool {
        self.rules_fired
            .iter()
            .any(|m| m.rule == rule && m.key == key)
    }

    /// True when `user` is the requester or a watcher.
    pub fn involves(&self, user: &UserId) -> bool {
        &self.requester == user || self.watchers.contains(user)
    }
}
