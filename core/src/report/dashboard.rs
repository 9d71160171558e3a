//! The supervisor's dashboard: live figures for a team or the whole desk, folded from the
//! facts of the tickets not yet closed or cancelled, cheap enough to poll.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::fact::Fact;
use crate::status::Status;
use crate::{TeamId, TicketId};

/// The oldest ticket in hand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Oldest {
    /// The ticket.
    pub ticket: TicketId,
    /// When it was registered.
    pub opened_at: DateTime<Utc>,
}

/// Live figures at one instant.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Dashboard {
    /// The instant.
    pub at: DateTime<Utc>,
    /// The team, or `None` for the desk.
    pub team: Option<TeamId>,
    /// New, open or pending.
    pub in_hand: u64,
    /// New and with no technician.
    pub new_unassigned: u64,
    /// In hand with no technician (any status).
    pub unassigned: u64,
    /// In hand with a running SLA target due within the risk horizon, none breached.
    pub at_risk: u64,
    /// Live with an SLA target breached.
    pub breached: u64,
    /// Pending on the requester.
    pub waiting_on_requester: u64,
    /// Solutions proposed, awaiting the requester's validation.
    pub validating: u64,
    /// The oldest in hand.
    pub oldest: Option<Oldest>,
    /// In hand per support level.
    pub per_level: BTreeMap<String, u64>,
    /// Live tickets that raised an SLA alert since `today_from`.
    pub alerted_today: u64,
}

/// Folds live facts into a [`Dashboard`].
pub struct DashboardFold {
    d: Dashboard,
    now: i64,
    horizon: i64,
    today_from: i64,
    oldest: Option<(i64, TicketId)>,
}

impl DashboardFold {
    /// A dashboard at `at` for `team`: at risk means due within `risk_minutes`; today
    /// starts at `today_from` (local midnight, computed by the caller in its zone).
    pub fn new(
        at: DateTime<Utc>,
        team: Option<TeamId>,
        risk_minutes: u32,
        today_from: DateTime<Utc>,
    ) -> DashboardFold {
        let now = at.timestamp_micros();
        DashboardFold {
            d: Dashboard {
                at,
                team,
                ..Dashboard::default()
            },
            now,
            horizon: now + i64::from(risk_minutes) * 60_000_000,
            today_from: today_from.timestamp_micros(),
            oldest: None,
        }
    }

    /// Adds a live fact.
    pub fn add(&mut self, fact: &Fact) {
        if !fact.live()
            || self
                .d
                .team
                .as_ref()
                .is_some_and(|t| fact.team.as_ref() != Some(t))
        {
            return;
        }
        let d = &mut self.d;
        let breached = fact.targets.iter().any(|t| t.breached_at(self.now));
        d.breached += u64::from(breached);
        d.validating += u64::from(fact.status == Status::Resolved);
        d.alerted_today += u64::from(fact.alerted.is_some_and(|a| a >= self.today_from));
        if !fact.status.is_active() {
            return;
        }
        d.in_hand += 1;
        let unassigned = fact.assignee.is_none();
        d.unassigned += u64::from(unassigned);
        d.new_unassigned += u64::from(unassigned && fact.status == Status::New);
        d.waiting_on_requester += u64::from(fact.waiting_on_requester);
        let risky = fact.targets.iter().any(|t| {
            matches!(t.outcome, super::TargetOutcome::Running(due) if due > self.now && due <= self.horizon)
        });
        d.at_risk += u64::from(risky && !breached);
        *d.per_level
            .entry(fact.level.as_str().to_owned())
            .or_default() += 1;
        let key = (fact.opened, fact.ticket.clone());
        if self.oldest.as_ref().is_none_or(|o| key < *o) {
            self.oldest = Some(key);
        }
    }

    /// The dashboard.
    pub fn finish(mut self) -> Dashboard {
        self.d.oldest = self.oldest.map(|(o, ticket)| Oldest {
            ticket,
            opened_at: DateTime::from_timestamp_micros(o).unwrap_or_default(),
        });
        self.d
    }
}
