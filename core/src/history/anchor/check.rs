//! Checking one ticket against the anchor: its chain, its anchored head, its projection.

use serde::{Deserialize, Serialize};

use crate::event::EventEnvelope;
use crate::hash::{self, Breach};
use crate::ticket::Ticket;
use crate::TicketId;

/// Something [`check_ticket`] or [`Anchor::fold`] found wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "finding", rename_all = "snake_case")]
pub enum Finding {
    /// A checkpoint was altered, removed or reordered; later ones were not trusted.
    BrokenCheckpoint {
        /// Its number.
        seq: u64,
        /// What is wrong.
        reason: String,
    },
    /// An anchored ticket has no events and no projection any more.
    DeletedTicket {
        /// The ticket.
        ticket: TicketId,
    },
    /// An anchored ticket has fewer events than the anchor recorded: its tail was cut.
    TruncatedTail {
        /// The ticket.
        ticket: TicketId,
        /// The version the anchor recorded.
        anchored: u64,
        /// The events found.
        found: u64,
    },
    /// The event at the anchored version is not the one anchored: history was rewritten
    /// (and re-chained).
    ReplacedHistory {
        /// The ticket.
        ticket: TicketId,
        /// The anchored version.
        sequence: u64,
    },
    /// The ticket's own chain is broken at `sequence`.
    BrokenChain {
        /// The ticket.
        ticket: TicketId,
        /// The first broken event.
        sequence: u64,
        /// How it is broken.
        breach: Breach,
    },
    /// The stored projection is not what its events fold to.
    ProjectionMismatch {
        /// The ticket.
        ticket: TicketId,
        /// What differs, or why the events do not fold.
        detail: String,
    },
}

/// Checks one ticket against its anchored head (if any): its events' chain, that the tail
/// reaches the anchored head, and that `projection` is what the events fold to.
pub fn check_ticket(
    id: &TicketId,
    anchored: Option<&(u64, String)>,
    events: &[EventEnvelope],
    projection: Option<&Ticket>,
) -> Vec<Finding> {
    let mut found = Vec::new();
    let ticket = id.clone();
    if events.is_empty() && projection.is_none() {
        if anchored.is_some() {
            found.push(Finding::DeletedTicket { ticket });
        }
        return found;
    }
    let chain = hash::verify(events);
    if let Some((sequence, breach)) = chain.first_broken.clone() {
        found.push(Finding::BrokenChain {
            ticket: ticket.clone(),
            sequence,
            breach,
        });
    }
    if let Some((version, head)) = anchored {
        match events.get(*version as usize - 1) {
            None => found.push(Finding::TruncatedTail {
                ticket: ticket.clone(),
                anchored: *version,
                found: events.len() as u64,
            }),
            Some(e) if &e.hash != head => found.push(Finding::ReplacedHistory {
                ticket: ticket.clone(),
                sequence: *version,
            }),
            Some(_) => {}
        }
    }
    let detail = match (Ticket::replay(events), projection) {
        (_, None) => Some("the projection is missing".to_owned()),
        (Err(e), Some(_)) => Some(format!("the events do not fold: {e}")),
        (Ok(folded), Some(stored)) => projection_difference(&folded, stored),
    };
    if let Some(detail) = detail {
        found.push(Finding::ProjectionMismatch { ticket, detail });
    }
    found
}

/// The top-level fields where `stored` differs from `folded`, ignoring the SLA due instant
/// (the desk's schedule, not a fact of the history).
fn projection_difference(folded: &Ticket, stored: &Ticket) -> Option<String> {
    let mut a = serde_json::to_value(folded).ok()?;
    let mut b = serde_json::to_value(stored).ok()?;
    for v in [&mut a, &mut b] {
        if let Some(o) = v.as_object_mut() {
            o.remove("sla_due");
        }
    }
    let (a, b) = (a.as_object()?, b.as_object()?);
    let fields: Vec<&str> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .map(String::as_str)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    (!fields.is_empty()).then(|| format!("fields differ from the events: {}", fields.join(", ")))
}

/// What [`check_ticket`] over the whole desk found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeskVerification {
    /// The anchor: the newest intact checkpoint's hash (`None` before the first).
    pub anchor: Option<String>,
    /// Checkpoints checked.
    pub checkpoints: u64,
    /// Tickets checked (anchored or not).
    pub tickets: u64,
    /// Every problem found; empty when the desk is intact.
    pub findings: Vec<Finding>,
}

impl DeskVerification {
    /// True when nothing was found.
    pub fn is_intact(&self) -> bool {
        self.findings.is_empty()
    }
}
