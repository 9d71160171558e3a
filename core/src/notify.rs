//! Notifications: who must hear of each event. One outbox row per event that anyone hears
//! of, written in the same transaction as the event, so none is lost and none is sent for a
//! change that failed.
//!
//! A row names its audiences as they stood when the event happened (the requester, the
//! assignee, the team…). Groups (a team's members, a supervisor, an organisation's
//! contacts) are expanded when the row is delivered ([`recipients::resolve`]); the delivery
//! worker then writes one message per person per ticket ([`render`]), however many events
//! it covers ([`NotifyConfig::coalesce`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::event::{Event, EventEnvelope};
use crate::ticket::Ticket;
use crate::{OrgId, TeamId, TicketId, UserId};

pub mod delivery;
pub mod policy;
pub mod recipients;
pub mod render;
pub mod templates;

pub use delivery::{Claim, DeadLetter, Failure};
pub use policy::{Audience, Locale, NotifyConfig};

/// One event someone must hear of, with whom, as an outbox row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Notification {
    /// About which ticket.
    pub ticket_id: TicketId,
    /// Its folio, for the message.
    pub folio: String,
    /// Which event.
    pub sequence: u64,
    /// The event's type name (`commented`, `solution_proposed`…).
    pub event: String,
    /// False for staff-only events: never sent to a requester.
    pub public: bool,
    /// Who acted, not told unless the configuration says so.
    pub actor: UserId,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Not delivered before: the end of its coalescing window.
    pub deliver_after: DateTime<Utc>,
    /// People told by name: requester, assignee, watchers, management, whom the event names.
    #[serde(default)]
    pub users: Vec<UserId>,
    /// Teams whose active members are told.
    #[serde(default)]
    pub teams: Vec<TeamId>,
    /// Teams whose supervisor is told.
    #[serde(default)]
    pub supervisors: Vec<TeamId>,
    /// Organisations whose contacts are told.
    #[serde(default)]
    pub organisations: Vec<OrgId>,
    /// The requester, who alone gets the folio confirmation of their own ticket.
    pub requester: UserId,
}

/// A notification waiting in a store's outbox, with the id used to acknowledge it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OutboxMessage {
    /// Store-assigned id, increasing in insertion order.
    pub id: u64,
    /// Failed delivery attempts so far.
    #[serde(default)]
    pub attempts: u32,
    /// The message.
    pub notification: Notification,
}

/// The outbox rows for freshly sealed events, `ticket` being the state after them.
///
/// An event nobody hears of writes no row. Requester and organisation audiences are
/// dropped for staff-only events; management hears only of major incidents.
pub fn derive(
    ticket: &Ticket,
    events: &[EventEnvelope],
    config: &NotifyConfig,
) -> Vec<Notification> {
    let major = config.major_incident.applies(ticket);
    let window = chrono::Duration::from_std(config.coalesce).unwrap_or(chrono::Duration::MAX);
    let mut out = Vec::new();
    for env in events {
        let public = env.event.is_public();
        let mut n = Notification {
            ticket_id: env.ticket_id.clone(),
            folio: ticket.folio.clone(),
            sequence: env.sequence,
            event: env.event.type_name().to_owned(),
            public,
            actor: env.actor.clone(),
            at: env.at,
            deliver_after: env
                .at
                .checked_add_signed(window)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
            users: Vec::new(),
            teams: Vec::new(),
            supervisors: Vec::new(),
            organisations: Vec::new(),
            requester: ticket.requester.clone(),
        };
        for audience in config.audiences(&n.event) {
            add(&mut n, *audience, ticket, &env.event, major, config);
        }
        if major && public {
            // Continuity (seed 001): management follows every public change.
            add(
                &mut n,
                Audience::Management,
                ticket,
                &env.event,
                major,
                config,
            );
        }
        if !(n.users.is_empty()
            && n.teams.is_empty()
            && n.supervisors.is_empty()
            && n.organisations.is_empty())
        {
            out.push(n);
        }
    }
    out
}

fn add(
    n: &mut Notification,
    audience: Audience,
    ticket: &Ticket,
    event: &Event,
    major: bool,
    config: &NotifyConfig,
) {
    fn push<T: PartialEq + Clone>(list: &mut Vec<T>, item: &T) {
        if !list.contains(item) {
            list.push(item.clone());
        }
    }
    match audience {
        Audience::Requester if n.public => push(&mut n.users, &ticket.requester),
        Audience::Organisation if n.public => {
            if let Some(org) = &ticket.organisation {
                push(&mut n.organisations, org);
            }
        }
        Audience::Requester | Audience::Organisation => {}
        Audience::Assignee => {
            if let Some(a) = &ticket.assignee {
                push(&mut n.users, a);
            }
        }
        Audience::Team => {
            if let Some(t) = &ticket.team {
                push(&mut n.teams, t);
            }
        }
        Audience::Supervisor => {
            if let Some(t) = &ticket.team {
                push(&mut n.supervisors, t);
            }
        }
        Audience::Watchers => ticket.watchers.iter().for_each(|w| push(&mut n.users, w)),
        Audience::Management if major => {
            config.management.iter().for_each(|u| push(&mut n.users, u))
        }
        Audience::Management => {}
        Audience::Named => match event {
            Event::Escalated { notify, team, .. } => {
                notify.iter().for_each(|u| push(&mut n.users, u));
                team.iter().for_each(|t| push(&mut n.teams, t));
            }
            Event::SlaAlert { notify, teams, .. } => {
                notify.iter().for_each(|u| push(&mut n.users, u));
                teams.iter().for_each(|t| push(&mut n.teams, t));
            }
            Event::WatcherAdded { user } => push(&mut n.users, user),
            _ => {}
        },
    }
}
