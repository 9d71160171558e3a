//! Contact records (seeds 000 and 002): each call, chat or other live contact with when it
//! started, was answered and ended, whether the person gave up waiting, who answered and
//! which ticket it led to — kept whether or not it made a ticket, so the reports can give
//! answer times and the abandonment rate.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::vocabulary::Channel;
use crate::{Error, Result, TicketId, UserId};

/// One live contact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Its id: the telephony or chat system's own (a call id), so recording it twice keeps
    /// one.
    pub id: String,
    /// Phone, chat, SMS, social, portal…
    pub channel: Channel,
    /// Who got in touch: a phone number, a handle, an address.
    pub from: String,
    /// When it started (the call rang, the chat opened).
    pub started_at: DateTime<Utc>,
    /// When an agent answered; absent when nobody did.
    #[serde(default)]
    pub answered_at: Option<DateTime<Utc>>,
    /// When it ended.
    #[serde(default)]
    pub ended_at: Option<DateTime<Utc>>,
    /// The person gave up before anyone answered.
    #[serde(default)]
    pub abandoned: bool,
    /// Who answered.
    #[serde(default)]
    pub agent: Option<UserId>,
    /// The ticket it opened or added to, if any.
    #[serde(default)]
    pub ticket: Option<TicketId>,
}

impl Contact {
    /// Seconds from start to answer, when it was answered.
    pub fn answer_seconds(&self) -> Option<i64> {
        self.answered_at
            .map(|a| (a - self.started_at).num_seconds())
    }

    /// Refuses a record that cannot be true, naming the field.
    pub fn validate(&self) -> Result<()> {
        let bad = |field: &str, reason: &str| Err(Error::validation(field, reason));
        let id = self.id.trim();
        if id.is_empty() || id.chars().count() > 200 {
            return bad("contact.id", "must be 1 to 200 characters");
        }
        if self.from.trim().is_empty() {
            return bad("contact.from", "must not be empty");
        }
        if self.answered_at.is_some_and(|a| a < self.started_at) {
            return bad("contact.answered_at", "is before started_at");
        }
        if self.ended_at.is_some_and(|e| e < self.started_at) {
            return bad("contact.ended_at", "is before started_at");
        }
        if let (Some(a), Some(e)) = (self.answered_at, self.ended_at) {
            if e < a {
                return bad("contact.ended_at", "is before answered_at");
            }
        }
        if self.abandoned && (self.answered_at.is_some() || self.agent.is_some()) {
            return bad(
                "contact.abandoned",
                "an abandoned contact was answered by nobody",
            );
        }
        if self.agent.is_some() && self.answered_at.is_none() {
            return bad(
                "contact.answered_at",
                "an agent is named but no answer time",
            );
        }
        Ok(())
    }
}

/// Which contacts to read: those started in `[from, to)`, oldest first, after `after`
/// (the last one of the previous page: its start and id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactRange {
    /// Started at or after.
    pub from: DateTime<Utc>,
    /// Started before.
    pub to: DateTime<Utc>,
    /// Resume after this (start, id).
    pub after: Option<(DateTime<Utc>, String)>,
    /// At most this many.
    pub limit: u32,
}

impl ContactRange {
    /// Whether `c` falls in the range (the order is (started_at, id)).
    pub fn matches(&self, c: &Contact) -> bool {
        let key = (c.started_at, c.id.as_str());
        c.started_at >= self.from
            && c.started_at < self.to
            && self
                .after
                .as_ref()
                .is_none_or(|(at, id)| key > (*at, id.as_str()))
    }
}
