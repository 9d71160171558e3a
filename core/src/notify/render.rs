//! One message for one person: the events they hear of on one ticket, in their language,
//! as a subject with the folio tag, a text part, an HTML part and threading headers.

use std::time::Duration;

use minijinja::value::{Serde, Value};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::policy::{Locale, NotifyConfig};
use super::recipients::Directory;
use super::templates::Templates;
use crate::directory::{Role, User};
use crate::event::EventEnvelope;
use crate::ticket::Ticket;
use crate::{Result, TicketId, UserId};

/// A message ready for a transport.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OutgoingMessage {
    /// The outbox rows it covers (acknowledged together).
    pub rows: Vec<u64>,
    /// Failed attempts of those rows so far (the most of any).
    pub attempts: u32,
    /// The ticket.
    pub ticket_id: TicketId,
    /// Its folio.
    pub folio: String,
    /// The recipient.
    pub user: UserId,
    /// Their display name.
    pub to_name: String,
    /// Their address.
    pub to: String,
    /// The sender (`delivery.from`).
    pub from: String,
    /// The language it is written in.
    pub locale: Locale,
    /// `[INC-2026-000042] …`.
    pub subject: String,
    /// The text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
    /// Without angle brackets; the same on every retry of the same rows.
    pub message_id: String,
    /// The ticket's thread root, which every message of the ticket replies to.
    pub in_reply_to: String,
    /// Extra headers: `Auto-Submitted`, `X-Auto-Response-Suppress`, the folio.
    pub headers: Vec<(String, String)>,
}

/// The thread root Message-ID of a ticket: `INC-2026-000042@domain`.
pub fn thread_id(folio: &str, domain: &str) -> String {
    format!("{folio}@{domain}")
}

/// The Message-ID of the message to `user` about events `first` to `last`:
/// `INC-2026-000042.7-9.3f9a0c1d@domain`. A retry of the same events has the same id, so
/// a receiver drops the repeat; a message that covers more events has another, so nothing
/// new is dropped with it. Encoding the folio lets a reply find its ticket even when the
/// desk keeps no table of sent ids.
pub fn message_id(folio: &str, first: u64, last: u64, user: &UserId, domain: &str) -> String {
    let digest = Sha256::digest(user.as_str().as_bytes());
    format!(
        "{folio}.{first}-{last}.{}@{domain}",
        hex::encode(&digest[..4])
    )
}

/// What [`render`] needs besides the events.
#[derive(Clone, Copy, Debug)]
pub struct RenderContext<'a> {
    /// The configuration's notification section.
    pub config: &'a NotifyConfig,
    /// Compiled templates.
    pub templates: &'a Templates,
    /// Names, teams, languages.
    pub directory: &'a Directory,
    /// The auto-confirmation delay, quoted in proposed-solution messages.
    pub auto_confirm: Duration,
    /// The survey invitation (a link or a token) for this ticket's requester, if any.
    pub survey_link: Option<&'a str>,
}

/// Renders the message to `user` about `events` of `ticket` (the current state), which
/// cover outbox `rows`. `user` must have an address.
pub fn render(
    ticket: &Ticket,
    events: &[&EventEnvelope],
    user: &User,
    rows: Vec<u64>,
    cx: RenderContext<'_>,
) -> Result<OutgoingMessage> {
    let to = user.email.clone().ok_or_else(|| {
        crate::Error::validation(format!("user.{}.email", user.id), "has no address")
    })?;
    let locale = cx.directory.locale(user, cx.config.locale);
    let seen = crate::view::redact(user, ticket.clone());
    let name = |id: &UserId| {
        cx.directory
            .users
            .get(id)
            .map_or_else(|| id.to_string(), |u| u.name.clone())
    };
    let team_name = ticket
        .team
        .as_ref()
        .and_then(|t| cx.directory.teams.get(t))
        .map(|t| t.name.clone());
    let recipient = minijinja::context! {
        name => user.name.clone(),
        is_requester => user.id == ticket.requester || user.role == Role::Requester,
    };
    let auto_confirm = humantime::format_duration(cx.auto_confirm).to_string();
    let mut subjects = Vec::new();
    let mut bodies = Vec::new();
    for env in events {
        // What this reader may see of it: an edit's staff-only fields never reach a
        // requester, even when the rest of the edit does.
        let Some(env) = crate::view::event(user, (*env).clone()) else {
            continue;
        };
        let env = &env;
        let data = serde_json::to_value(&env.event)
            .ok()
            .and_then(|v| v.get("data").cloned())
            .unwrap_or_default();
        let ctx = minijinja::context! {
            ticket => Value::from(Serde(&seen)),
            event => Value::from(Serde(&data)),
            event_type => env.event.type_name(),
            locale => locale.as_str(),
            actor => name(&env.actor),
            recipient => recipient.clone(),
            team_name => team_name.clone(),
            auto_confirm => auto_confirm.clone(),
            survey_link => cx.survey_link.filter(|_| user.id == ticket.requester),
        };
        let r = cx.templates.event(locale, env.event.type_name(), &ctx)?;
        subjects.push(r.subject);
        bodies.push(r.body);
    }
    let ctx = minijinja::context! {
        ticket => Value::from(Serde(&seen)),
        locale => locale.as_str(),
    };
    let footer = cx.templates.footer(locale, &ctx)?;
    // The latest event says where the ticket stands; earlier ones are in the body.
    let subject = format!(
        "[{}] {}",
        ticket.folio,
        subjects.last().map(String::as_str).unwrap_or_default()
    );
    let text = format!("{}\n\n-- \n{footer}\n", bodies.join("\n\n----\n\n"));
    let html = cx.templates.html(locale, &subject, &bodies, &footer)?;
    let domain = &cx.config.delivery.domain;
    let first = events.first().map_or(0, |e| e.sequence);
    let last = events.last().map_or(0, |e| e.sequence);
    Ok(OutgoingMessage {
        rows,
        attempts: 0,
        ticket_id: ticket.id.clone(),
        folio: ticket.folio.clone(),
        user: user.id.clone(),
        to_name: user.name.clone(),
        to,
        from: cx.config.delivery.from.clone(),
        locale,
        subject,
        text,
        html,
        message_id: message_id(&ticket.folio, first, last, &user.id, domain),
        in_reply_to: thread_id(&ticket.folio, domain),
        headers: vec![
            ("Auto-Submitted".into(), "auto-generated".into()),
            ("X-Auto-Response-Suppress".into(), "All".into()),
            ("X-Foliodesk-Ticket".into(), ticket.folio.clone()),
        ],
    })
}
