//! Rules that act without a person (seeds 000 and 004): configuration data (`[[rules]]`).
//!
//! A rule has a trigger — events of a ticket (`on = ["rated"]`) or time since a milestone
//! (`after = { since = "pending", duration = "3days", calendar = "madrid" }`, in business
//! time when a calendar is named) — conditions on the ticket's fields, and actions that run
//! as one append, every event attributed to the rule (actor `rule:<id>`) after a
//! `rule_fired` event that records which trigger it answered, so it never answers it twice.
//! Time rules are found by `tick` through the due index; event rules run after the append
//! that raised the event, to a depth of [`MAX_DEPTH`] rules triggering rules.
//!
//! ```
//! use foliodesk_core::Config;
//! let c = Config::from_toml_str(r#"
//!     [[rules]]
//!     id = "close-when-rated-well"
//!     on = ["rated"]
//!     when = { min_score = 4 }
//!     then = [{ action = "close", note = "Closed after a good rating" }]
//! "#, "<doc>").unwrap();
//! assert_eq!(c.rules[0].then.len(), 1);
//! ```

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::command::EscalationKind;
use crate::sla::Sla;
use crate::status::{Status, WaitingOn};
use crate::ticket::Ticket;
use crate::vocab::string_enum;
use crate::vocabulary::Category;
use crate::CancelReason;
use crate::{Error, Result, TeamId, TicketKind, UserId};

/// How many rules may trigger one another after one person's command.
pub const MAX_DEPTH: usize = 4;

/// The actor id a rule acts as.
pub fn actor_of(rule: &str) -> UserId {
    UserId::from(format!("{ACTOR_PREFIX}{rule}"))
}

/// Ids starting so are rules, never people.
pub const ACTOR_PREFIX: &str = "rule:";

/// Whether `actor` is a rule.
pub fn is_rule(actor: &UserId) -> bool {
    actor.as_str().starts_with(ACTOR_PREFIX)
}

/// A rule (`[[rules]]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id; the rule acts as `rule:<id>`.
    pub id: String,
    /// Event types that trigger it (`"rated"`, `"commented"`…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on: Vec<String>,
    /// Or: the time since a milestone that triggers it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Delay>,
    /// What the ticket must be like for the rule to act.
    #[serde(default)]
    pub when: RuleConditions,
    /// What it does, in order, in one append.
    pub then: Vec<RuleAction>,
    /// Switched off, it neither triggers nor is scheduled.
    #[serde(default = "enabled")]
    pub enabled: bool,
}

fn enabled() -> bool {
    true
}

string_enum!(
    /// The ticket milestones a time rule counts from.
    Milestone, "rules.after.since" {
        /// When it was opened.
        Opened = "opened",
        /// Its last change.
        Updated = "updated",
        /// When it started waiting (pending).
        Pending = "pending",
        /// When a solution was proposed.
        Resolved = "resolved",
        /// When the solution was confirmed.
        Confirmed = "confirmed",
        /// When the requester rated it.
        Rated = "rated",
    }
);

/// A time trigger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Delay {
    /// The milestone counted from.
    pub since: Milestone,
    /// How long after it (humantime: `"2days"`, `"4h"`).
    #[serde(with = "humantime_serde")]
    #[schemars(with = "crate::schema::Humantime")]
    pub duration: Duration,
    /// Counted in this business calendar (a key of `sla.calendars`); none: wall time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
}

/// Conditions on the ticket; every one given must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RuleConditions {
    /// Its status is one of these.
    pub status: Vec<Status>,
    /// Its kind is one of these.
    pub kind: Vec<TicketKind>,
    /// Its category is one of these or below one.
    pub categories: Vec<String>,
    /// Its team is one of these.
    pub teams: Vec<TeamId>,
    /// Its priority is at least this.
    pub min_priority: Option<u8>,
    /// It carries one of these tags.
    pub tags: Vec<String>,
    /// It was rated at least this.
    pub min_score: Option<u8>,
    /// It was rated at most this.
    pub max_score: Option<u8>,
}

/// One thing a rule does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
#[allow(missing_docs)] // each variant's doc says what its fields are
pub enum RuleAction {
    /// A comment from canned response `response` (its text and visibility).
    Comment { response: String },
    /// Tell the requester where the ticket stands (a `status_reported` notification).
    RemindRequester,
    /// Add tags.
    AddTags { tags: Vec<String> },
    /// Move to another category (a configured path).
    Reclassify { category: String },
    /// Route to a team and/or technician.
    Assign {
        #[serde(default)]
        team: Option<TeamId>,
        #[serde(default)]
        assignee: Option<UserId>,
    },
    /// Escalate, functionally or hierarchically.
    Escalate { kind: EscalationKind },
    /// Wait on someone.
    SetPending {
        reason: String,
        waiting_on: WaitingOn,
    },
    /// Close a confirmed ticket (the owner's review, done by the rule).
    Close {
        #[serde(default)]
        note: Option<String>,
    },
    /// Cancel (e.g. `withdrawn` when the requester never answered).
    Cancel { reason: CancelReason, note: String },
}

impl Rule {
    /// Whether `ticket` meets the rule's conditions.
    pub fn holds(&self, ticket: &Ticket) -> bool {
        let w = &self.when;
        let score = ticket.satisfaction.as_ref().map(|s| s.score);
        let within = |c: &String| {
            (ticket.category.as_ref())
                .is_some_and(|cat| Category::parse("", c).is_ok_and(|c| cat.is_within(&c)))
        };
        (w.status.is_empty() || w.status.contains(&ticket.status))
            && (w.kind.is_empty() || w.kind.contains(&ticket.kind))
            && (w.categories.is_empty() || w.categories.iter().any(within))
            && (w.teams.is_empty() || ticket.team.as_ref().is_some_and(|t| w.teams.contains(t)))
            && w.min_priority.is_none_or(|p| ticket.priority.get() >= p)
            && (w.tags.is_empty() || w.tags.iter().any(|t| ticket.tags.contains(t)))
            && w.min_score.is_none_or(|m| score.is_some_and(|s| s >= m))
            && w.max_score.is_none_or(|m| score.is_some_and(|s| s <= m))
    }

    /// For a time rule: the trigger key (the milestone's instant) and when it fires, if the
    /// ticket has the milestone, meets the conditions and the rule has not answered it.
    pub fn due(&self, ticket: &Ticket, sla: &Sla) -> Option<(String, DateTime<Utc>)> {
        let after = self.after.as_ref().filter(|_| self.enabled)?;
        let m = &ticket.milestones;
        let from = match after.since {
            Milestone::Opened => m.opened_at,
            Milestone::Updated => m.updated_at,
            Milestone::Pending => m.pending_since,
            Milestone::Resolved => m.resolved_at,
            Milestone::Confirmed => m.confirmed_at,
            Milestone::Rated => m.rated_at,
        }?;
        let key = time_key(from);
        if !self.holds(ticket) || ticket.fired(&self.id, &key) {
            return None;
        }
        let span = chrono::Duration::from_std(after.duration).ok()?;
        let at = match after.calendar.as_deref().and_then(|c| sla.calendar(c)) {
            Some(cal) => cal.add_business_time(from, span).ok()?,
            None => from + span,
        };
        Some((key, at))
    }
}

/// The trigger key of a time rule counting from `from`.
pub fn time_key(from: DateTime<Utc>) -> String {
    format!(
        "time@{}",
        from.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    )
}

/// The trigger key of an event rule answering the append that left the ticket at `version`.
pub fn event_key(version: u64) -> String {
    format!("event@{version}")
}

/// The next instant a time rule of `rules` fires on `ticket`.
pub fn next_due(rules: &[Rule], ticket: &Ticket, sla: &Sla) -> Option<DateTime<Utc>> {
    rules
        .iter()
        .filter_map(|r| r.due(ticket, sla))
        .map(|d| d.1)
        .min()
}

/// The time rules due on `ticket` at `now`, with their trigger keys.
pub fn due_now<'r>(
    rules: &'r [Rule],
    ticket: &Ticket,
    sla: &Sla,
    now: DateTime<Utc>,
) -> Vec<(&'r Rule, String)> {
    (rules.iter())
        .filter_map(|r| r.due(ticket, sla).filter(|d| d.1 <= now).map(|d| (r, d.0)))
        .collect()
}

/// The event rules that `event_types` trigger on `ticket`.
pub fn triggered<'r>(rules: &'r [Rule], ticket: &Ticket, event_types: &[&str]) -> Vec<&'r Rule> {
    (rules.iter())
        .filter(|r| r.enabled && r.on.iter().any(|e| event_types.contains(&e.as_str())))
        .filter(|r| r.holds(ticket))
        .collect()
}

/// Checks `[[rules]]` against the rest of the configuration; errors name `rules[i]…`.
pub fn validate(rules: &[Rule], config: &crate::Config) -> Result<()> {
    let mut ids = std::collections::BTreeSet::new();
    for (i, r) in rules.iter().enumerate() {
        let at = |field: &str| format!("rules[{i}].{field}");
        crate::ids::validate_id(&at("id"), &r.id)?;
        if !ids.insert(&r.id) {
            return Err(Error::validation(
                at("id"),
                format!("`{}` is listed twice", r.id),
            ));
        }
        match (r.on.is_empty(), &r.after) {
            (true, None) | (false, Some(_)) => {
                return Err(Error::validation(
                    at("on"),
                    "give either `on` (event types) or `after` (time since a milestone)",
                ))
            }
            _ => {}
        }
        for (j, e) in r.on.iter().enumerate() {
            if !crate::event::EVENT_TYPES.contains(&e.as_str()) {
                return Err(Error::validation(
                    at(&format!("on[{j}]")),
                    format!("`{e}` is not an event type"),
                ));
            }
        }
        if let Some(c) = r.after.as_ref().and_then(|a| a.calendar.as_ref()) {
            if !config.sla.calendars.contains_key(c) {
                return Err(Error::validation(
                    at("after.calendar"),
                    format!("no calendar `{c}` in sla.calendars"),
                ));
            }
        }
        check_conditions(&r.when, &|f| at(&format!("when.{f}")))?;
        if r.then.is_empty() {
            return Err(Error::validation(at("then"), "a rule must do something"));
        }
        for (j, a) in r.then.iter().enumerate() {
            match a {
                RuleAction::Comment { response }
                    if !config.responses.iter().any(|x| &x.id == response) =>
                {
                    return Err(Error::validation(
                        at(&format!("then[{j}].response")),
                        format!("no response `{response}` in [[responses]]"),
                    ));
                }
                RuleAction::Reclassify { category } => {
                    config.category(&at(&format!("then[{j}].category")), category)?;
                }
                _ => {}
            }
        }
    }
    Ok(())
}

fn check_conditions(w: &RuleConditions, at: &dyn Fn(&str) -> String) -> Result<()> {
    let scale = [
        ("min_priority", w.min_priority),
        ("min_score", w.min_score),
        ("max_score", w.max_score),
    ];
    for (field, v) in scale {
        if v.is_some_and(|v| !(1..=5).contains(&v)) {
            return Err(Error::validation(at(field), "must be from 1 to 5"));
        }
    }
    for (j, c) in w.categories.iter().enumerate() {
        Category::parse(&at(&format!("categories[{j}]")), c)?;
    }
    Ok(())
}
