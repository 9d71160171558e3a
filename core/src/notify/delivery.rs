//! The outbox as a work queue: leases, retries with backoff, dead letters.
//!
//! Rows are claimed a ticket at a time, so the events of one ticket inside the coalescing
//! window leave as one message per person. A row is *claimable* when it is not dead, its
//! lease (if any) has ended and it is available (`deliver_after` reached, or a retry's time
//! reached). A ticket is *ready* when one of its rows is claimable; a claim then takes every
//! claimable row of the ticket plus the rows never attempted that are still inside their
//! window, which is what folds a storm of events into few messages.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::policy::DeliveryConfig;
use super::Notification;

/// A worker's request for work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// Unique per claim: rows leased to it carry it until acknowledged or failed.
    pub token: String,
    /// The claim's instant.
    pub now: DateTime<Utc>,
    /// The end of the lease; after it, another worker may claim the rows again.
    pub lease_until: DateTime<Utc>,
    /// At most this many tickets' rows.
    pub tickets: u32,
}

impl Claim {
    /// Whether a row with these facts may be leased now, its ticket being ready or not.
    pub fn takes(&self, row: &RowState, ticket_ready: bool) -> bool {
        let free = row.dead.is_none() && row.lease_until.is_none_or(|t| t <= self.now);
        free && (row.available_at <= self.now || (ticket_ready && row.attempts == 0))
    }

    /// Whether a row makes its ticket ready.
    pub fn readies(&self, row: &RowState) -> bool {
        self.takes(row, false)
    }
}

/// The delivery state a store keeps beside each outbox row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowState {
    /// When it may be delivered: `deliver_after`, then each retry's time.
    pub available_at: DateTime<Utc>,
    /// Failed attempts.
    pub attempts: u32,
    /// The current lease's end.
    pub lease_until: Option<DateTime<Utc>>,
    /// The lease holder.
    pub token: Option<String>,
    /// The dead-letter reason.
    pub dead: Option<String>,
}

impl RowState {
    /// A fresh row's state.
    pub fn new(n: &Notification) -> RowState {
        RowState {
            available_at: n.deliver_after,
            attempts: 0,
            lease_until: None,
            token: None,
            dead: None,
        }
    }

    /// Applies a failure: one more attempt, lease released, retried or dead.
    pub fn fail(&mut self, failure: &Failure) {
        self.attempts += 1;
        self.lease_until = None;
        self.token = None;
        match failure.retry_at {
            Some(at) => self.available_at = at,
            None => self.dead = Some(failure.reason.clone()),
        }
    }
}

/// A failed delivery attempt of some rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Failure {
    /// The rows.
    pub ids: Vec<u64>,
    /// Why, as the transport or renderer said it.
    pub reason: String,
    /// When to try again; `None` makes them dead letters.
    pub retry_at: Option<DateTime<Utc>>,
}

/// A message the desk gave up on, kept until requeued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeadLetter {
    /// The outbox row.
    pub id: u64,
    /// Attempts made.
    pub attempts: u32,
    /// The last failure's reason.
    pub reason: String,
    /// The notification.
    pub notification: Notification,
}

/// When to retry after the `attempts`-th failure of row `id`, or `None` when the attempts
/// are used up: `backoff × 2^(attempts-1)`, capped at `max_backoff`, less up to a fifth
/// of jitter so that rows failed together do not come back together.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use foliodesk_core::notify::{delivery::retry_at, policy::DeliveryConfig};
/// let c = DeliveryConfig::default(); // 30 s, doubling, 8 attempts
/// let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let third = retry_at(now, 3, 7, &c).unwrap() - now;
/// assert!(third.num_seconds() > 96 && third.num_seconds() <= 120);
/// assert_eq!(retry_at(now, 8, 7, &c), None);
/// ```
pub fn retry_at(
    now: DateTime<Utc>,
    attempts: u32,
    id: u64,
    config: &DeliveryConfig,
) -> Option<DateTime<Utc>> {
    if attempts >= config.max_attempts {
        return None;
    }
    let doubling = 2u32.saturating_pow(attempts.saturating_sub(1));
    let delay = config
        .backoff
        .saturating_mul(doubling)
        .min(config.max_backoff);
    // A fixed hash of (id, attempts): the same row retries at the same offset on every
    // worker, different rows spread out.
    let spread = (id ^ u64::from(attempts))
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(17)
        % 1000;
    let jitter = delay.mul_f64(spread as f64 / 5000.0);
    let wait = delay.saturating_sub(jitter).max(Duration::from_millis(1));
    let wait = chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX);
    Some(
        now.checked_add_signed(wait)
            .unwrap_or(DateTime::<Utc>::MAX_UTC),
    )
}

/// The rows `claim` takes from an in-process outbox, given in id order: every row it
/// [`takes`](Claim::takes) of the first `claim.tickets` ready tickets. The memory and redb
/// stores use it; the SQL stores say the same in SQL.
pub fn pick<'a, I>(claim: &Claim, rows: I) -> Vec<u64>
where
    I: IntoIterator<Item = (u64, &'a crate::TicketId, &'a RowState)> + Clone,
{
    let mut ready: Vec<&crate::TicketId> = Vec::new();
    for (_, ticket, state) in rows.clone() {
        if ready.len() as u32 >= claim.tickets {
            break;
        }
        if claim.readies(state) && !ready.contains(&ticket) {
            ready.push(ticket);
        }
    }
    rows.into_iter()
        .filter(|(_, ticket, state)| ready.contains(ticket) && claim.takes(state, true))
        .map(|(id, _, _)| id)
        .collect()
}
