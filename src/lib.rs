//! Foliodesk: an embeddable help-desk and IT-incident library.
//!
//! The whole ITIL incident process — intake, classification, priority matrix, routing to
//! N1–N3, escalation, solution validation by the requester, survey, owner review, closure —
//! with a tamper-evident history of every step, linked into the software you already run.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use foliodesk::{Channel, Desk, NewTicket, Role, TicketKind, User, SYSTEM};
//! let desk = Desk::open("memory://").await?;
//! desk.put_user(SYSTEM, User::new("ana", "Ana", Role::Requester)).await?;
//! let ticket = desk
//!     .open_ticket("ana", NewTicket::new(TicketKind::Incident, Channel::Email, "ana", "VPN down"))
//!     .await?;
//! assert!(ticket.folio.starts_with("INC-"));
//! assert!(desk.verify(&ticket.id).await?.is_intact());
//! # Ok::<(), foliodesk::Error>(()) }).unwrap();
//! ```
//!
//! ## Backends
//! `Desk::open(url)` picks one by scheme:
//! - `sqlite://path.db` — the embedded default: one file, WAL, durable commits
//!   (`?synchronous=normal` trades the last commits on power loss for speed);
//!   `sqlite::memory:` for a throw-away database.
//! - `postgres://…` — several application instances sharing one database.
//! - `mysql://…` or `mariadb://…` — MySQL 8 or MariaDB 10.6+.
//! - `redb://path.redb` — pure Rust, one file, no C (feature `redb`).
//! - `memory://` — the reference store, gone when dropped.

/// The README's Rust snippet, compiled and run as a doctest so it stays true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

mod actor;
mod anchor;
pub mod api;
mod attach;
mod automation;
mod classify;
mod clock;
mod contacts;
mod delivery;
mod desk;
mod directory;
mod evidence;
pub mod imap;
mod import;
mod knowledge;
mod open;
mod ops;
mod problem;
mod ranking;
mod reconfigure;
mod reindex;
pub mod report;
mod responses;
mod search;
mod sla;
pub mod smtp;
mod staffing;
mod survey;
mod tick;
pub mod webhook;
pub mod wire;
mod workload;

pub use actor::SYSTEM;
pub use clock::SystemClock;
pub use delivery::{Batch, DeliveryReport, Outcome, SendError, Transport};
pub use desk::{Desk, DeskOptions, PageRequest};
pub use foliodesk_core as core;
pub use foliodesk_core::edit::{EditableField, TicketEdit};
pub use foliodesk_core::notify::render::OutgoingMessage;
pub use foliodesk_core::notify::DeadLetter;
pub use foliodesk_core::{
    CancelReason, Category, Channel, Clock, Command, CommandKind, Config, Error, ErrorKind,
    EscalationKind, Event, EventEnvelope, FixedClock, Impact, NewTicket, Notification,
    Organisation, OutboxMessage, Page, Priority, PriorityChange, Result, Role, SecurityRecord,
    Status, SupportLevel, Team, TeamId, Ticket, TicketFilter, TicketId, TicketKind, Urgency, User,
    UserId, Verification, Visibility, WaitingOn,
};
pub use reconfigure::Reconfiguration;
pub use tick::TickReport;

mod ingest;
mod templates;
pub use contacts::ContactCursor;
pub use foliodesk_core::import::{ExternalRef, ImportStep, ImportTicket};
pub use imap::{ImapPoll, ImapSecurity, ImapSettings, Quarantined};
pub use import::{ImportOutcome, ImportProgress, ImportReport, DEFAULT_IMPORT_BATCH};
pub use ingest::{IngestOutcome, Ingested};
pub use knowledge::ArticleFilter;
pub use problem::{KnownError, NotProposed, ProblemResolution, SIMILAR_KNOWN_ERRORS};
pub use responses::CannedResponse;
pub use search::{ArticleHit, SearchQuery, TicketHit, MAX_HITS};

/// Loads a configuration file; errors name the file, the key and the reason.
///
/// ```
/// let err = foliodesk::load_config("/nonexistent/desk.toml").unwrap_err();
/// assert_eq!(err.field(), Some(""));
/// ```
pub fn load_config(path: impl AsRef<std::path::Path>) -> Result<Config> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
        origin: path.display().to_string(),
        key: String::new(),
        reason: format!("cannot read the file: {e}"),
    })?;
    let mut config = Config::from_toml_str(&text, &path.display().to_string())?;
    if let Some(dir) = config.notifications.templates_dir.clone() {
        let dir = path.parent().unwrap_or(std::path::Path::new(".")).join(dir);
        for (name, source) in templates::read_dir(&dir)? {
            config.notifications.templates.entry(name).or_insert(source);
        }
        config.validate()?;
    }
    Ok(config)
}
