//! The dashboard's reading of the live backlog: per (status, level, unassigned, waiting)
//! group, how many tickets, how many breached, at risk and alerted today, and the oldest
//! in hand. A backend may count it where the data is (an SQL `GROUP BY` over a few columns
//! stored beside each live fact) or fold [`PulseRow`]s here; both must give what
//! [`super::DashboardFold`] gives from the facts (conformance).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::dashboard::{Dashboard, Oldest};
use super::fact::{Fact, TargetOutcome};
use crate::status::{Status, SupportLevel};
use crate::{TeamId, TicketId};

/// What the dashboard asks: a team (or the desk), now, the end of the risk horizon and
/// the start of today, in microseconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PulseQuery {
    /// Only this team's tickets.
    pub team: Option<TeamId>,
    /// The instant.
    pub now: i64,
    /// At risk: a running target due after `now` and by this instant.
    pub horizon: i64,
    /// Alerted today: the latest SLA alert at or after this instant.
    pub today_from: i64,
}

/// Live tickets sharing a status, level, assignment and waiting state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PulseGroup {
    /// Status.
    pub status: Status,
    /// Support level.
    pub level: SupportLevel,
    /// Without a technician.
    pub unassigned: bool,
    /// Waiting on the requester.
    pub waiting: bool,
    /// Tickets.
    pub tickets: u64,
    /// Of them, with an SLA target breached at `now`.
    pub breached: u64,
    /// Of them, not breached, with a running target due within the horizon.
    pub at_risk: u64,
    /// Of them, alerted since `today_from`.
    pub alerted: u64,
}

/// The groups, and the oldest ticket in hand (new, open or pending).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pulse {
    /// By (status, level, unassigned, waiting), in that order.
    pub groups: Vec<PulseGroup>,
    /// (opened, ticket) of the oldest in hand.
    pub oldest: Option<(i64, TicketId)>,
}

/// The few columns of a live fact the dashboard counts by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PulseRow {
    /// Team now.
    pub team: Option<String>,
    /// Status now.
    pub status: Status,
    /// Level now.
    pub level: SupportLevel,
    /// No technician.
    pub unassigned: bool,
    /// Waiting on the requester.
    pub waiting: bool,
    /// A target breached for good (stopped late).
    pub breached: bool,
    /// The earliest due instant of a running target.
    pub due: Option<i64>,
    /// The latest SLA alert.
    pub alerted: Option<i64>,
}

impl PulseRow {
    /// The compact bytes a backend stores.
    pub fn encode(&self) -> crate::Result<Vec<u8>> {
        postcard::to_allocvec(self)
            .map_err(|e| crate::Error::storage_msg(format!("cannot encode a pulse row: {e}")))
    }

    /// A row from [`PulseRow::encode`]'s bytes.
    pub fn decode(bytes: &[u8]) -> crate::Result<PulseRow> {
        postcard::from_bytes(bytes)
            .map_err(|e| crate::Error::storage_msg(format!("unreadable pulse row: {e}")))
    }

    /// The row of `fact`.
    pub fn of(fact: &Fact) -> PulseRow {
        let outcomes = || fact.targets.iter().map(|t| t.outcome);
        PulseRow {
            team: fact.team.as_ref().map(|t| t.as_str().to_owned()),
            status: fact.status,
            level: fact.level,
            unassigned: fact.assignee.is_none(),
            waiting: fact.waiting_on_requester,
            breached: outcomes().any(|o| o == TargetOutcome::Breached),
            due: outcomes()
                .filter_map(|o| match o {
                    TargetOutcome::Running(due) => Some(due),
                    _ => None,
                })
                .min(),
            alerted: fact.alerted,
        }
    }
}

/// Counts [`PulseRow`]s into a [`Pulse`].
pub struct PulseFold {
    q: PulseQuery,
    groups: BTreeMap<(Status, SupportLevel, bool, bool), PulseGroup>,
    oldest: Option<(i64, TicketId)>,
}

impl PulseFold {
    /// An empty count for `q`.
    pub fn new(q: PulseQuery) -> PulseFold {
        PulseFold {
            q,
            groups: BTreeMap::new(),
            oldest: None,
        }
    }

    /// Adds the row of a live ticket opened at `opened`.
    pub fn add(&mut self, opened: i64, ticket: &str, r: &PulseRow) {
        if (self.q.team.as_ref()).is_some_and(|t| r.team.as_deref() != Some(t.as_str())) {
            return;
        }
        let key = (r.status, r.level, r.unassigned, r.waiting);
        let g = self.groups.entry(key).or_insert(PulseGroup {
            status: r.status,
            level: r.level,
            unassigned: r.unassigned,
            waiting: r.waiting,
            tickets: 0,
            breached: 0,
            at_risk: 0,
            alerted: 0,
        });
        let now = self.q.now;
        let breached = r.breached || r.due.is_some_and(|d| d <= now);
        g.tickets += 1;
        g.breached += u64::from(breached);
        g.at_risk += u64::from(!breached && r.due.is_some_and(|d| d > now && d <= self.q.horizon));
        g.alerted += u64::from(r.alerted.is_some_and(|a| a >= self.q.today_from));
        let older = (self.oldest.as_ref()).is_none_or(|(o, t)| (opened, ticket) < (*o, t.as_str()));
        if r.status.is_active() && older {
            self.oldest = Some((opened, ticket.into()));
        }
    }

    /// The count.
    pub fn finish(self) -> Pulse {
        Pulse {
            groups: self.groups.into_values().collect(),
            oldest: self.oldest,
        }
    }
}

/// The pulse folded from the live facts `store` pages out: the reference every backend's
/// count must equal.
pub async fn from_live_facts<S: crate::store::Store + ?Sized>(
    store: &S,
    q: &PulseQuery,
) -> crate::Result<Pulse> {
    const PAGE: u32 = 5_000;
    let mut fold = PulseFold::new(q.clone());
    let mut page_q = super::FactQuery {
        live_only: true,
        limit: PAGE,
        ..super::FactQuery::default()
    };
    loop {
        let page = store.facts(&page_q).await?;
        for f in &page {
            fold.add(f.opened, f.ticket.as_str(), &PulseRow::of(f));
        }
        match page.last() {
            Some(last) if page.len() == PAGE as usize => {
                page_q.after = Some((last.opened, last.ticket.clone()));
            }
            _ => return Ok(fold.finish()),
        }
    }
}

impl Pulse {
    /// The dashboard at `at` for `team`.
    pub fn dashboard(&self, at: DateTime<Utc>, team: Option<TeamId>) -> Dashboard {
        let mut d = Dashboard {
            at,
            team,
            ..Dashboard::default()
        };
        for g in &self.groups {
            d.breached += g.breached;
            d.alerted_today += g.alerted;
            d.validating += if g.status == Status::Resolved {
                g.tickets
            } else {
                0
            };
            if !g.status.is_active() {
                continue;
            }
            d.in_hand += g.tickets;
            d.at_risk += g.at_risk;
            d.unassigned += if g.unassigned { g.tickets } else { 0 };
            let new_unassigned = g.unassigned && g.status == Status::New;
            d.new_unassigned += if new_unassigned { g.tickets } else { 0 };
            d.waiting_on_requester += if g.waiting { g.tickets } else { 0 };
            *d.per_level.entry(g.level.as_str().to_owned()).or_default() += g.tickets;
        }
        d.oldest = self.oldest.as_ref().map(|(o, ticket)| Oldest {
            ticket: ticket.clone(),
            opened_at: DateTime::from_timestamp_micros(*o).unwrap_or_default(),
        });
        d
    }
}
