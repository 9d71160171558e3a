//! The ticket's indexed columns, and decoding stored JSON documents.

use chrono::{DateTime, Utc};
pub(crate) use foliodesk_core::store::doc::{from_json, to_json};
use foliodesk_core::{Error, Result, Ticket};

use crate::filter::{watcher_token, Arg};

/// The columns of `fd_tickets`, in the order `INSERT_TICKET` binds them after `id`.
pub(crate) const TICKET_COLUMNS: &str = "folio, version, head_hash, kind, status, team, \
     assignee, requester, organisation, priority, category, watchers, opened_micros, \
     updated_micros, due_micros, sla_due_micros, body";

/// The values of a ticket's row.
pub(crate) struct TicketRow {
    pub folio: String,
    pub version: i64,
    pub head_hash: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub team: Option<String>,
    pub assignee: Option<String>,
    pub requester: String,
    pub organisation: Option<String>,
    pub priority: i64,
    pub category: Option<String>,
    pub watchers: String,
    pub opened_micros: i64,
    pub updated_micros: i64,
    pub due_micros: Option<i64>,
    pub sla_due_micros: Option<i64>,
    pub body: String,
}

impl TicketRow {
    /// The row of a sealed append's ticket, its head hash the last event's.
    pub fn sealed(sealed: &foliodesk_core::store::Sealed) -> foliodesk_core::Result<TicketRow> {
        let last = sealed.envelopes.last().expect("seal refuses no events");
        TicketRow::of(&sealed.ticket, &last.hash, sealed.due_at)
    }

    pub fn of(t: &Ticket, head_hash: &str, due_at: Option<DateTime<Utc>>) -> Result<TicketRow> {
        Ok(TicketRow {
            folio: t.folio.clone(),
            version: t.version as i64,
            head_hash: head_hash.to_owned(),
            kind: t.kind.as_str(),
            status: t.status.as_str(),
            team: t.team.as_ref().map(ToString::to_string),
            assignee: t.assignee.as_ref().map(ToString::to_string),
            requester: t.requester.to_string(),
            organisation: t.organisation.as_ref().map(ToString::to_string),
            priority: i64::from(t.priority.get()),
            category: t.category.as_ref().map(|c| c.as_str().to_owned()),
            watchers: watchers_column(t.watchers.iter().map(|w| watcher_token(w.as_str()))),
            opened_micros: micros(t.milestones.opened_at),
            updated_micros: micros(t.milestones.updated_at),
            due_micros: due_at.map(|d| d.timestamp_micros()),
            sla_due_micros: t.sla_due.map(|d| d.timestamp_micros()),
            body: to_json(t)?,
        })
    }
}

impl TicketRow {
    /// The binds for the columns after `folio`, in [`TICKET_COLUMNS`] order.
    pub fn args(self) -> Vec<Arg> {
        vec![
            Arg::Int(self.version),
            Arg::Text(self.head_hash),
            Arg::Text(self.kind.to_owned()),
            Arg::Text(self.status.to_owned()),
            Arg::OptText(self.team),
            Arg::OptText(self.assignee),
            Arg::Text(self.requester),
            Arg::OptText(self.organisation),
            Arg::Int(self.priority),
            Arg::OptText(self.category),
            Arg::Text(self.watchers),
            Arg::Int(self.opened_micros),
            Arg::Int(self.updated_micros),
            Arg::OptInt(self.due_micros),
            Arg::OptInt(self.sla_due_micros),
            Arg::Text(self.body),
        ]
    }
}

/// `|ana|leo|`: a column `involving` can search with one `LIKE '%|ana|%'`.
pub(crate) fn watchers_column(tokens: impl Iterator<Item = String>) -> String {
    let mut out = String::from("|");
    for token in tokens {
        out.push_str(&token);
        out.push('|');
    }
    out
}

fn micros(t: Option<DateTime<Utc>>) -> i64 {
    t.map_or(0, |t| t.timestamp_micros())
}

pub(crate) fn to_utc(micros: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros)
        .ok_or_else(|| Error::storage_msg(format!("stored instant {micros} is out of range")))
}
