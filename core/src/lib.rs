//! Foliodesk core: the ITIL incident process as pure logic.
//!
//! A ticket is an event-sourced aggregate: [`decide()`] validates a [`Command`] by an actor
//! against the ticket, the configuration and the directory, and returns [`Event`]s;
//! [`Ticket::apply`] folds them. Both are pure and deterministic: no I/O, no clock, no
//! runtime. Storage backends implement [`store::Store`] and pass the conformance suite
//! (feature `testkit`).
//!
//! ```
//! use foliodesk_core::*;
//! let config = Config::default();
//! let mut facts = Facts::default();
//! let ana = User::new("ana", "Ana", Role::Requester);
//! facts.users.insert(ana.id.clone(), ana.clone());
//! let ctx = Context { now: "2026-03-02T09:00:00Z".parse().unwrap(), config: &config, facts: &facts };
//! let cmd = Command::Open(Box::new(NewTicket::new(TicketKind::Incident, Channel::Email, "ana", "VPN down")));
//! let events = decide(None, &cmd, &ana, &ctx).unwrap();
//! assert_eq!(events[0].type_name(), "opened");
//! ```
//!
//! Laid out by what it does: [`process`] holds a file per seed step beside the transition
//! ([`lifecycle`]) and permission ([`permission`]) tables; [`sla`] and [`calendar`] the
//! clocks; [`directory`] people, organisations and teams; [`history`] the hash chain and
//! the desk anchor; [`store`] the storage contract; [`view`] what each person may see.
//!
//! ## Crate features
//! - `testkit`: the storage conformance suite, for backend crates' tests.

pub mod assignment;
pub mod attachment;
pub mod automation;
pub mod calendar;
pub mod classifier;
pub mod clock;
pub mod command;
pub mod config;
pub mod contact;
pub mod decide;
pub mod directory;
pub mod due;
pub mod edit;
pub mod error;
pub mod event;
pub mod export;
pub mod history;
pub mod ids;
pub mod import;
pub mod inbound;
pub mod knowledge;
pub mod notify;
pub mod priority;
pub mod problem;
pub mod process;
pub mod query;
pub mod report;
pub mod responses;
pub mod schedule;
pub mod schema;
pub mod search;
pub mod security;
pub mod sla;
pub mod status;
pub mod store;
#[cfg(feature = "testkit")]
pub mod testkit;
pub mod ticket;
pub mod view;
mod vocab;
pub mod vocabulary;
pub mod workload;

pub use clock::{Clock, FixedClock};
pub use command::{Command, CommandKind, EscalationKind, NewTicket, PriorityChange};
pub use config::Config;
pub use decide::{decide, system_actor, Context, Facts, TeamsNeeded};
pub use directory::{Organisation, Role, Team, User};
pub use error::{Error, ErrorKind, Result};
pub use event::{Event, EventEnvelope, PendingEvent};
pub use hash::{verify, Verification};
pub use history::{anchor, hash};
pub use ids::{OrgId, TeamId, TicketId, UserId};
pub use notify::{Notification, OutboxMessage};
pub use priority::{Impact, Priority, PriorityMatrix, Urgency};
pub use process::{lifecycle, permission};
pub use query::{Page, QueryTickets, TicketFilter};
pub use security::{DiscovererAction, SecurityRecord, Severity};
pub use status::{Status, SupportLevel, WaitingOn};
pub use ticket::Ticket;
pub use vocabulary::{CancelReason, Category, Channel, TicketKind, Visibility};
