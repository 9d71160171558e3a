//! Bringing tickets from another help desk (GLPI, Zammad, osTicket, a spreadsheet) with
//! their past: each ticket's history is replayed through [`decide`] at its original times
//! and by its original actors, so an imported ticket obeys every rule a live one does and
//! its events chain like any others. An `imported` event closes the history: who brought
//! it, when, from where.
//!
//! An imported ticket's id is derived from where it came from ([`ticket_id`]), so importing
//! the same ticket twice finds it already there: an interrupted import is resumed by
//! running it again.
//!
//! ```
//! use foliodesk_core::import::{ticket_id, ImportStep, ImportTicket};
//! use foliodesk_core::{Channel, Command, NewTicket, TicketKind};
//!
//! let at = "2025-01-13T09:30:00Z".parse().unwrap();
//! let ticket = ImportTicket {
//!     source: "glpi".into(),
//!     reference: "48213".into(),
//!     opened_at: at,
//!     opened_by: "ana".into(),
//!     ticket: NewTicket::new(TicketKind::Incident, Channel::Email, "ana", "Printer jammed"),
//!     history: vec![ImportStep {
//!         at: at + chrono::Duration::minutes(20),
//!         actor: "bob".into(),
//!         command: Command::Comment { body: "On my way".into(), visibility: Default::default() },
//!     }],
//! };
//! assert_eq!(ticket_id("glpi", "48213"), ticket_id("glpi", " 48213 "));
//! # let _ = ticket;
//! ```

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::command::{Command, NewTicket};
use crate::decide::{decide, system_actor, Context, Facts};
use crate::event::{Event, PendingEvent};
use crate::notify::NotifyConfig;
use crate::schedule::{tier, Rules};
use crate::sla::SlaAlertKey;
use crate::store::{AppendEvents, FolioKey};
use crate::ticket::Ticket;
use crate::{Error, Result, TicketId, User, UserId};

/// Longest source name or reference, in characters.
pub const MAX_REFERENCE: usize = 200;

/// Where an imported ticket was before: the help desk it came from and its number there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ExternalRef {
    /// The help desk it came from (`glpi`, `zammad`, `sheet-2024`…).
    pub source: String,
    /// Its number or id there.
    pub reference: String,
}

/// One step of an imported ticket's history: a command as someone did it then.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ImportStep {
    /// When it was done.
    pub at: DateTime<Utc>,
    /// Who did it (`system` for the old desk acting on its own).
    pub actor: UserId,
    /// What they did, in the command's JSON form (`{"command": "comment", …}`).
    pub command: Command,
}

/// A ticket from another help desk, with its history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ImportTicket {
    /// The help desk it came from.
    pub source: String,
    /// Its number or id there; with `source`, it identifies the ticket across runs.
    pub reference: String,
    /// When it was opened there.
    pub opened_at: DateTime<Utc>,
    /// Who opened it there.
    pub opened_by: UserId,
    /// What was registered.
    pub ticket: NewTicket,
    /// What happened after, oldest first.
    #[serde(default)]
    pub history: Vec<ImportStep>,
}

/// The id an imported ticket gets: the same for the same source and reference (surrounding
/// blanks aside), and never one a live ticket or a mail thread could get.
///
/// A numeric reference (most help desks number their tickets) gives an id that sorts like
/// the number, `imp-<source hash>-<20 digits>`: an export read in its own order then
/// writes every B-tree in order, which makes a large import several times faster than
/// scattering random keys. Other references give a UUID-shaped hash.
///
/// ```
/// use foliodesk_core::import::ticket_id;
/// let (a, b) = (ticket_id("glpi", "9"), ticket_id("glpi", "10"));
/// assert!(a.as_str() < b.as_str());
/// assert_ne!(ticket_id("glpi", "9"), ticket_id("otrs", "9"));
/// assert_ne!(ticket_id("glpi", "09"), a);
/// ```
pub fn ticket_id(source: &str, reference: &str) -> TicketId {
    let (source, reference) = (source.trim(), reference.trim());
    let numeric = (1..=20).contains(&reference.len())
        && reference.bytes().all(|b| b.is_ascii_digit())
        && (reference == "0" || !reference.starts_with('0'));
    if numeric {
        use sha2::{Digest, Sha256};
        let tag = hex::encode(&Sha256::digest(format!("import\0{source}").as_bytes())[..6]);
        return TicketId::new(format!("imp-{tag}-{reference:0>20}"));
    }
    // NUL cannot occur in a reference (refused by `plan`), so the pair is unambiguous.
    crate::inbound::uuid_of(format!("import\0{source}\0{reference}").as_bytes())
}

/// The append that writes `item` as a new ticket, imported by `importer` at `now`: its
/// history decided step by step under `rules` and `facts` (the whole directory), none of
/// it later than `now`; the auto-confirmation of a solution left unanswered past the
/// delay, at its instant; then an `imported` event at `now` that keeps where it came from
/// and marks the escalation thresholds already crossed as fired. So the first `tick`
/// after an import finds nothing of the past to do, and nobody is notified of it.
///
/// Every refusal is a [`Error::Validation`] whose field locates it (`history[2].at`,
/// `ticket.title`, `history[0].command`), since what is wrong is the imported data.
pub fn plan(
    item: &ImportTicket,
    importer: &UserId,
    rules: &Rules,
    facts: &Facts,
    now: DateTime<Utc>,
) -> Result<AppendEvents> {
    let source = name("source", &item.source)?;
    let reference = name("reference", &item.reference)?;
    if item.opened_at > now {
        return Err(Error::validation("opened_at", "is later than now"));
    }
    let id = ticket_id(source, reference);
    let opener = actor(facts, "opened_by", &item.opened_by)?;
    let open = Command::Open(Box::new(item.ticket.clone()));
    let events = decided(None, &open, &opener, rules, facts, item.opened_at)
        .map_err(|e| located("ticket", e))?;
    let mut ticket = Ticket::preview_new(&id, &events, item.opened_at, &opener.id)?;
    let mut pending = PendingEvent::batch(events, item.opened_at, &opener.id);
    let mut last = item.opened_at;
    for (j, step) in item.history.iter().enumerate() {
        let at = |what: &str| format!("history[{j}].{what}");
        if step.at < last {
            return Err(Error::validation(at("at"), "is before the step before it"));
        }
        if step.at > now {
            return Err(Error::validation(at("at"), "is later than now"));
        }
        let user = actor(facts, &at("actor"), &step.actor)?;
        let events = decided(Some(&ticket), &step.command, &user, rules, facts, step.at)
            .map_err(|e| located(&format!("history[{j}]"), e))?;
        ticket = ticket.preview(&events, step.at, &user.id)?;
        pending.extend(PendingEvent::batch(events, step.at, &user.id));
        last = step.at;
    }
    // A solution left unconfirmed past the auto-confirm delay is confirmed at that instant,
    // as the desk would have done, within the import: otherwise the first sweep after the
    // import would confirm every such ticket at once and tell each requester.
    if let Some(due) = crate::due::next_due(&ticket, &rules.config).filter(|d| *d <= now) {
        let desk = system_actor();
        if let Ok(events) = decided(
            Some(&ticket),
            &Command::AutoConfirm,
            &desk,
            rules,
            facts,
            due,
        ) {
            ticket = ticket.preview(&events, due, &desk.id)?;
            pending.extend(PendingEvent::batch(events, due, &desk.id));
        }
    }
    let tier = tier(&ticket, facts);
    let passed: Vec<SlaAlertKey> = (rules.sla.crossings(&ticket, tier, now).into_iter())
        .map(|c| SlaAlertKey {
            target: c.target,
            percent: c.percent,
            repeat: c.repeat,
        })
        .collect();
    let imported = vec![Event::Imported {
        source: source.to_owned(),
        reference: reference.to_owned(),
        passed,
    }];
    ticket = ticket.preview(&imported, now, importer)?;
    pending.extend(PendingEvent::batch(imported, now, importer));
    let schedule = rules.schedule(&ticket, tier);
    Ok(AppendEvents {
        ticket_id: id,
        expected_version: 0,
        base: None,
        events: pending,
        folio: Some(FolioKey::for_ticket(item.ticket.kind, item.opened_at)),
        due_at: schedule.due_at,
        sla_due: schedule.sla_due,
        notify: Arc::new(NotifyConfig::default()),
        index: Some(crate::search::index::ticket_doc(&ticket)),
        fact: Some(crate::report::Fact::of(&ticket, rules, tier)),
    })
}

fn decided(
    ticket: Option<&Ticket>,
    command: &Command,
    user: &User,
    rules: &Rules,
    facts: &Facts,
    at: DateTime<Utc>,
) -> Result<Vec<Event>> {
    let ctx = Context {
        now: at,
        config: &rules.config,
        facts,
    };
    decide(ticket, command, user, &ctx)
}

fn actor(facts: &Facts, field: &str, id: &UserId) -> Result<User> {
    if id.as_str() == "system" {
        return Ok(system_actor());
    }
    (facts.users.get(id).cloned())
        .ok_or_else(|| Error::validation(field, format!("unknown user `{id}`")))
}

fn name<'a>(field: &str, value: &'a str) -> Result<&'a str> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::validation(field, "must not be empty"));
    }
    if v.chars().count() > MAX_REFERENCE {
        return Err(Error::validation(
            field,
            format!("is longer than {MAX_REFERENCE} characters"),
        ));
    }
    if v.chars().any(char::is_control) {
        return Err(Error::validation(
            field,
            "must not contain control characters",
        ));
    }
    Ok(v)
}

/// `e` as a validation error under `prefix`: a field the decision named stays named
/// (`history[1].body`); a refused transition or permission points at the command.
fn located(prefix: &str, e: Error) -> Error {
    match e {
        Error::Validation { field, reason } => {
            Error::validation(format!("{prefix}.{field}"), reason)
        }
        other @ (Error::Storage { .. } | Error::Remote { .. }) => other,
        other => Error::validation(format!("{prefix}.command"), other.to_string()),
    }
}

/// `e` as it concerns the `index`-th ticket of an import batch (`tickets[3].history[1].at`).
pub fn in_batch(index: usize, e: Error) -> Error {
    match e {
        Error::Validation { field, reason } => {
            Error::validation(format!("tickets[{index}].{field}"), reason)
        }
        other => other,
    }
}
