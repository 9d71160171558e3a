//! Ticket queries: filters, and stable keyset pagination over (opened_at, id).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::priority::Priority;
use crate::status::Status;
use crate::ticket::Ticket;
use crate::vocabulary::{Category, TicketKind};
use crate::{Error, OrgId, Result, TeamId, TicketId, UserId};

/// The largest page a query returns.
pub const MAX_PAGE: u32 = 1000;

/// Which tickets to return. Empty lists and `None` match everything; all set conditions
/// must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TicketFilter {
    /// Any of these statuses.
    pub status: Vec<Status>,
    /// Any of these kinds.
    pub kind: Vec<TicketKind>,
    /// Assigned to this team.
    pub team: Option<TeamId>,
    /// Assigned to this technician.
    pub assignee: Option<UserId>,
    /// Only tickets with no technician.
    pub unassigned: bool,
    /// Opened for this requester.
    pub requester: Option<UserId>,
    /// Where this user is the requester or a watcher.
    pub involving: Option<UserId>,
    /// Of this organisation.
    pub organisation: Option<OrgId>,
    /// Without an organisation, or of one of these: a staff member's scope
    /// ([`crate::view::Scope`]). `None` matches every ticket; an empty list only those
    /// without an organisation.
    pub organisation_in: Option<Vec<OrgId>>,
    /// Priority at least this.
    pub min_priority: Option<Priority>,
    /// In this category or below it.
    pub category: Option<Category>,
    /// Opened at or after.
    pub opened_from: Option<DateTime<Utc>>,
    /// Opened before.
    pub opened_to: Option<DateTime<Utc>>,
    /// Last changed at or after.
    pub updated_from: Option<DateTime<Utc>>,
    /// Last changed before.
    pub updated_to: Option<DateTime<Utc>>,
    /// A running SLA target is due at or before this instant: `now` lists the breached
    /// tickets, `now + 1h` those breaching within the hour.
    pub sla_due_by: Option<DateTime<Utc>>,
}

impl TicketFilter {
    /// The reference semantics every backend must match.
    pub fn matches(&self, t: &Ticket) -> bool {
        let opened = t.milestones.opened_at;
        let updated = t.milestones.updated_at;
        (self.status.is_empty() || self.status.contains(&t.status))
            && (self.kind.is_empty() || self.kind.contains(&t.kind))
            && self
                .team
                .as_ref()
                .is_none_or(|x| t.team.as_ref() == Some(x))
            && self
                .assignee
                .as_ref()
                .is_none_or(|x| t.assignee.as_ref() == Some(x))
            && (!self.unassigned || t.assignee.is_none())
            && self.requester.as_ref().is_none_or(|x| &t.requester == x)
            && self.involving.as_ref().is_none_or(|x| t.involves(x))
            && self
                .organisation
                .as_ref()
                .is_none_or(|x| t.organisation.as_ref() == Some(x))
            && self
                .organisation_in
                .as_ref()
                .is_none_or(|list| t.organisation.as_ref().is_none_or(|o| list.contains(o)))
            && self.min_priority.is_none_or(|p| t.priority >= p)
            && self
                .category
                .as_ref()
                .is_none_or(|c| t.category.as_ref().is_some_and(|tc| tc.is_within(c)))
            && self
                .opened_from
                .is_none_or(|x| opened.is_some_and(|o| o >= x))
            && self.opened_to.is_none_or(|x| opened.is_some_and(|o| o < x))
            && self
                .updated_from
                .is_none_or(|x| updated.is_some_and(|u| u >= x))
            && self
                .updated_to
                .is_none_or(|x| updated.is_some_and(|u| u < x))
            && self
                .sla_due_by
                .is_none_or(|x| t.sla_due.is_some_and(|d| d <= x))
    }
}

/// A position in the (opened_at, id) order: the last ticket of the previous page.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor {
    /// Microseconds since the Unix epoch of `opened_at`.
    pub opened_micros: i64,
    /// The ticket id.
    pub id: TicketId,
}

impl Cursor {
    /// The cursor just after `ticket`.
    pub fn after(ticket: &Ticket) -> Cursor {
        Cursor {
            opened_micros: ticket
                .milestones
                .opened_at
                .map_or(0, |t| t.timestamp_micros()),
            id: ticket.id.clone(),
        }
    }

    /// The opaque text handed to callers.
    pub fn encode(&self) -> String {
        format!("{}:{}", self.opened_micros, self.id)
    }

    /// Reads a cursor produced by [`Cursor::encode`].
    pub fn decode(text: &str) -> Result<Cursor> {
        let bad = || Error::validation("after", format!("`{text}` is not a page cursor"));
        let (micros, id) = text.split_once(':').ok_or_else(bad)?;
        let opened_micros = micros.parse().map_err(|_| bad())?;
        if id.is_empty() {
            return Err(bad());
        }
        Ok(Cursor {
            opened_micros,
            id: TicketId::new(id),
        })
    }
}

/// A query: filter, page size, where to resume, and direction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryTickets {
    /// Which tickets.
    pub filter: TicketFilter,
    /// Resume after this position (exclusive).
    pub after: Option<Cursor>,
    /// Page size, 1..=[`MAX_PAGE`].
    pub limit: u32,
    /// Newest first instead of oldest first.
    pub newest_first: bool,
}

impl QueryTickets {
    /// Checks the page size.
    pub fn validate(&self) -> Result<()> {
        if self.limit == 0 || self.limit > MAX_PAGE {
            return Err(Error::validation(
                "limit",
                format!("{} is out of range 1..={MAX_PAGE}", self.limit),
            ));
        }
        Ok(())
    }

    /// Whether a ticket at `pos` lies after the cursor in this query's direction.
    pub fn is_after_cursor(&self, pos: &Cursor) -> bool {
        match &self.after {
            None => true,
            Some(c) if self.newest_first => pos < c,
            Some(c) => pos > c,
        }
    }
}

/// One page of results. `next` is present when there may be more.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Page<T> {
    /// The items, in query order.
    pub items: Vec<T>,
    /// The cursor to pass as `after` for the next page.
    pub next: Option<String>,
}

impl Page<Ticket> {
    /// The page for a backend that fetched up to `limit + 1` matching tickets in query
    /// order: the extra one only says that another page follows.
    pub fn from_overfetch(mut items: Vec<Ticket>, limit: u32) -> Page<Ticket> {
        let more = items.len() > limit as usize;
        items.truncate(limit as usize);
        let next = if more {
            items.last().map(|t| Cursor::after(t).encode())
        } else {
            None
        };
        Page { items, next }
    }
}
