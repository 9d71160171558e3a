//! What an inbound message leads to, decided before anything is written: dropped (and why),
//! a new ticket, or words added to the ticket it belongs to — a comment, a rejected
//! solution, a reopening within the window — or, after the window, a new ticket that
//! follows the old one. The desk then runs the plan through the ordinary commands, so
//! permissions, transitions and the history apply as to anything else.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{policy::UnknownSenders, thread, Automatic, InboundMessage};
use crate::command::{Command, NewTicket};
use crate::decide::{MAX_TEXT, MAX_TITLE};
use crate::directory::{Role, User};
use crate::status::Status;
use crate::ticket::Ticket;
use crate::vocabulary::{Channel, TicketKind, Visibility};
use crate::{Config, TicketId};

/// Why a message was dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "reason", content = "detail")]
pub enum Ignored {
    /// A machine wrote it (an auto-reply, a bounce, a list, a generated alert).
    Automatic(Automatic),
    /// It came from one of the desk's own addresses: a loop.
    OwnAddress,
    /// Nobody has the sender's address and `unknown_senders = "refuse"`.
    UnknownSender,
    /// It says nothing: no subject and no text.
    Empty,
    /// A staff member answered a ticket that no longer takes comments.
    NotOpen,
    /// The sender opened `intake.email.rate_limit` tickets within its window already.
    RateLimited,
    /// A monitoring event said its condition cleared, and no ticket is open for its key.
    Cleared,
}

/// What to do with an inbound message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Action {
    /// Write nothing.
    Ignore {
        /// Why.
        ignored: Ignored,
    },
    /// Open a ticket.
    Open {
        /// The ticket.
        ticket: Box<NewTicket>,
    },
    /// Run these commands on the ticket the message belongs to.
    Add {
        /// The ticket.
        ticket: TicketId,
        /// Its folio.
        folio: String,
        /// What the message does there.
        command: Box<Command>,
        /// Run them as the desk itself (a monitoring event's repeat or recovery), not as
        /// the sender.
        by_desk: bool,
    },
}

/// An action with the sender to create first (when unknown) and the reason, in words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Plan {
    /// What to do.
    pub action: Action,
    /// A requester to create before acting (an unknown sender, `create`).
    pub new_requester: Option<User>,
    /// Why, for the log and the caller (`reply to INC-2026-000042: reopened within the
    /// window`).
    pub why: String,
}

/// Decides what `msg` from `sender` (`None`: nobody has the address) leads to, `thread`
/// being the ticket its folios point to, if one was found, and `recent` the tickets the
/// sender opened within the rate limit's window.
pub fn plan(
    msg: &InboundMessage,
    sender: Option<&User>,
    thread: Option<&Ticket>,
    recent: u32,
    config: &Config,
    now: DateTime<Utc>,
) -> Plan {
    let policy = &config.intake.email;
    let ignore = |ignored: Ignored, why: String| Plan {
        action: Action::Ignore { ignored },
        new_requester: None,
        why,
    };
    if policy.is_own(&msg.from) {
        return ignore(
            Ignored::OwnAddress,
            format!("{} is the desk's own address", msg.from),
        );
    }
    let event = msg.channel == Channel::Event;
    match msg.automatic {
        // A monitoring event is a machine's by nature; its requester has no address to
        // answer (see `stranger`).
        _ if event => {}
        // Generated mail (a monitoring alert) too: its folio confirmation would go back to
        // a machine. Alerts are to come in as monitoring events with a correlation key.
        Some(a) => return ignore(Ignored::Automatic(a), format!("written by a machine ({a})")),
        None => {}
    }
    if msg.subject.trim().is_empty() && msg.text.trim().is_empty() {
        return ignore(Ignored::Empty, "no subject and no text".into());
    }
    let (sender, new_requester) = match sender {
        Some(u) => (u.clone(), None),
        None if policy.unknown_senders == UnknownSenders::Refuse => {
            return ignore(
                Ignored::UnknownSender,
                format!("no user has the address {}", msg.from),
            )
        }
        None => {
            let u = stranger(msg, config);
            (u.clone(), Some(u))
        }
    };
    let with = |action: Action, why: String| Plan {
        action,
        new_requester: new_requester.clone(),
        why,
    };
    let limit = policy.rate_limit.tickets;
    let open = |why: String, follows: Option<&str>| {
        if limit > 0 && recent >= limit {
            return ignore(
                Ignored::RateLimited,
                format!(
                    "{} opened {recent} tickets within {}",
                    msg.from,
                    humantime::format_duration(policy.rate_limit.per)
                ),
            );
        }
        with(
            Action::Open {
                ticket: Box::new(new_ticket(msg, &sender, config, follows)),
            },
            why,
        )
    };
    let body = fit(
        if msg.text.trim().is_empty() {
            &msg.subject
        } else {
            &msg.text
        },
        MAX_TEXT,
    );
    let Some(t) = thread else {
        if event && msg.recovery {
            return ignore(
                Ignored::Cleared,
                "a recovery with no ticket open for it".into(),
            );
        }
        return open("no folio, thread or key leads to a ticket".into(), None);
    };
    let (id, folio) = (t.id.clone(), t.folio.clone());
    let add_as = |command: Command, why: String, by_desk: bool| {
        with(
            Action::Add {
                ticket: id.clone(),
                folio: folio.clone(),
                command: Box::new(command),
                by_desk,
            },
            why,
        )
    };
    let add = |command: Command, why: String| add_as(command, why, false);
    if event {
        return match super::events::on_ticket(msg, t, body, config) {
            Some((command, why)) => add_as(command, why, true),
            None if msg.recovery => ignore(
                Ignored::Cleared,
                format!("a recovery, and {folio} is {}", t.status),
            ),
            None => open(
                format!("{folio} is {}: a new ticket follows it", t.status),
                Some(&folio),
            ),
        };
    }
    let staff = sender.role.is_staff();
    if !staff && !t.involves(&sender.id) {
        // Someone else's ticket: their words stay theirs, in a ticket of their own.
        return open(
            format!("{} is not part of {folio}", sender.id),
            Some(&folio),
        );
    }
    let comment = Command::Comment {
        body: body.clone(),
        visibility: Visibility::Public,
    };
    match t.status {
        Status::New | Status::Open | Status::Pending => add(comment, format!("reply to {folio}")),
        _ if staff => ignore(
            Ignored::NotOpen,
            format!("{folio} is {}: it takes no comments", t.status),
        ),
        // A reply to a proposed solution says it is not solved yet (as most desks read it).
        Status::Resolved if sender.id == t.requester => add(
            Command::RejectSolution { reason: body },
            format!("reply to {folio} while its solution awaited validation"),
        ),
        Status::Closed
            if sender.id == t.requester
                && t.milestones
                    .closed_at
                    .is_some_and(|c| now - c <= config.reopen_window()) =>
        {
            add(
                Command::Reopen { reason: body },
                format!("reply to {folio}: reopened within the window"),
            )
        }
        _ => open(
            format!("{folio} is {}: a new ticket follows it", t.status),
            Some(&folio),
        ),
    }
}

/// A requester for an unknown sender: the address is the id, the organisation by domain.
fn stranger(msg: &InboundMessage, config: &Config) -> User {
    let name = msg.from_name.clone().unwrap_or_else(|| msg.from.clone());
    let mut u = User::new(msg.from.as_str(), name, Role::Requester);
    // Only an e-mail sender has an address to write to: a phone number or a monitoring
    // system gets no mail (and so no automatic answer).
    if msg.channel == Channel::Email {
        u.email = Some(msg.from.clone());
    }
    let domain = msg
        .from
        .rsplit_once('@')
        .map(|(_, d)| d)
        .unwrap_or_default();
    u.organisation = config
        .intake
        .email
        .domains
        .iter()
        .find(|(d, _)| d.eq_ignore_ascii_case(domain))
        .map(|(_, o)| o.clone());
    u
}

fn new_ticket(
    msg: &InboundMessage,
    sender: &User,
    config: &Config,
    follows: Option<&str>,
) -> NewTicket {
    let intake = &config.intake;
    let defaults = (msg.channel == Channel::Email)
        .then(|| intake.email.mailbox(&msg.to))
        .flatten()
        .or_else(|| intake.channels.get(&msg.channel))
        .cloned()
        .unwrap_or_default();
    let title = title(&msg.subject);
    let title = if title.is_empty() {
        first_line(&msg.text)
    } else {
        title
    };
    let mut t = NewTicket::new(
        defaults.kind.unwrap_or(TicketKind::Incident),
        msg.channel,
        sender.id.clone(),
        fit(&title, MAX_TITLE),
    );
    t.description = fit(&msg.text, MAX_TEXT);
    t.category = defaults.category;
    if let Some(folio) = follows {
        t.tags.push(format!("follows:{folio}"));
    }
    t
}

/// The subject without reply and forward prefixes and folio tags.
pub fn title(subject: &str) -> String {
    let mut s = subject.trim();
    loop {
        let lower = s.to_lowercase();
        let prefix = ["re:", "rv:", "fw:", "fwd:", "aw:", "reenv:", "tr:"]
            .iter()
            .find(|p| lower.starts_with(*p));
        if let Some(p) = prefix {
            s = s[p.len()..].trim_start();
            continue;
        }
        match s.strip_prefix('[').and_then(|r| r.split_once(']')) {
            Some((inside, rest)) if thread::is_folio(inside.trim()) => s = rest.trim_start(),
            _ => return s.trim().to_owned(),
        }
    }
}

/// `text` cut to `max` characters, marked where it was cut: a mail longer than a ticket
/// field takes is kept in part rather than refused.
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 2).collect();
    cut.push_str(" …");
    cut
}

fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("(sin asunto)");
    line.chars().take(120).collect()
}
