//! The storage contract every backend implements, and [`seal`], the one place where events
//! get their sequence numbers, folio and hashes.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::directory::{Organisation, Team, User};
use crate::event::{Event, EventEnvelope, PendingEvent, EVENT_SCHEMA};
use crate::hash::{self, GENESIS};
use crate::knowledge::Article;
use crate::notify::{self, Claim, DeadLetter, Failure, Notification, NotifyConfig, OutboxMessage};
use crate::query::{Page, QueryTickets};
use crate::search::{Postings, PostingsQuery, SearchDoc, TopDocs, TopQuery};
use crate::ticket::Ticket;
use crate::{Error, OrgId, Result, TeamId, TicketId, UserId};

pub mod batch;
pub mod doc;
mod folio;
pub mod gather;
pub mod lookup;
pub mod memory;

pub use folio::FolioKey;
pub use lookup::{Found, Lookup};

/// One atomic write: the events of one decided command.
#[derive(Clone, Debug)]
pub struct AppendEvents {
    /// The ticket.
    pub ticket_id: TicketId,
    /// The version the decision was based on: 0 for a new ticket. Anything else stored
    /// is a [`Error::Conflict`].
    pub expected_version: u64,
    /// The ticket at `expected_version` (`None` for a new ticket).
    pub base: Option<Ticket>,
    /// The events, in order.
    pub events: Vec<PendingEvent>,
    /// For a new ticket: the counter its folio is drawn from, in the same transaction.
    pub folio: Option<FolioKey>,
    /// When `tick` must next look at the ticket (see [`crate::due::next_due`]).
    pub due_at: Option<DateTime<Utc>>,
    /// The earliest due instant of the ticket's running SLA targets, stored on the
    /// projection for the SLA-state queues ([`Ticket::sla_due`]).
    pub sla_due: Option<DateTime<Utc>>,
    /// Who is told of the events: the outbox rows are derived from it in [`seal`].
    pub notify: std::sync::Arc<NotifyConfig>,
    /// The ticket's search document, when the events change what search sees of it
    /// ([`crate::search::index::ticket_change`]): written in the same transaction.
    pub index: Option<SearchDoc>,
    /// The ticket's report fact after the events ([`crate::report::Fact`]), written in
    /// the same transaction.
    pub fact: Option<crate::report::Fact>,
}

/// One article write, with its search document, in one transaction.
#[derive(Clone, Debug)]
pub struct ArticleWrite {
    /// The article; its `revision` is one more than `expected`.
    pub article: Article,
    /// The revision stored now: 0 for a new article. Anything else stored is a
    /// [`Error::Conflict`] (its `ticket` field names the article as `article <id>`).
    pub expected: u64,
    /// What search stores for it.
    pub index: SearchDoc,
}

impl ArticleWrite {
    /// The conflict to answer when `stored` is not the expected revision.
    pub fn conflict(&self, stored: u64) -> Error {
        Error::Conflict {
            ticket: format!("article {}", self.article.id),
            expected: self.expected,
            actual: stored,
        }
    }
}

/// What a backend writes for one append, computed by [`seal`].
#[derive(Clone, Debug)]
pub struct Sealed {
    /// The events with sequence, folio and hashes.
    pub envelopes: Vec<EventEnvelope>,
    /// The projection: the ticket after the events.
    pub ticket: Ticket,
    /// Notifications for the outbox.
    pub outbox: Vec<Notification>,
    /// The due instant to index.
    pub due_at: Option<DateTime<Utc>>,
}

/// Numbers, chains and folds an append. A backend calls it inside its transaction, after
/// reading the ticket's head (`head_version`, `head_hash`; 0 and `None` for a new ticket)
/// and, for a new ticket, drawing the next `folio_number` from the counter.
pub fn seal(
    req: &AppendEvents,
    head_version: u64,
    head_hash: Option<&str>,
    folio_number: Option<u64>,
) -> Result<Sealed> {
    let mut sealed = seal_quietly(req, head_version, head_hash, folio_number)?;
    sealed.outbox = notify::derive(&sealed.ticket, &sealed.envelopes, &req.notify);
    Ok(sealed)
}

/// [`seal`] without notifications: what [`Store::import`] writes, since an imported
/// history is not news to anyone.
pub fn seal_quietly(
    req: &AppendEvents,
    head_version: u64,
    head_hash: Option<&str>,
    folio_number: Option<u64>,
) -> Result<Sealed> {
    if head_version != req.expected_version {
        return Err(Error::Conflict {
            ticket: req.ticket_id.to_string(),
            expected: req.expected_version,
            actual: head_version,
        });
    }
    if req.events.is_empty() {
        return Err(Error::validation(
            "events",
            "an append needs at least one event",
        ));
    }
    let folio = match (&req.folio, folio_number) {
        (Some(key), Some(n)) => Some(key.folio(n)),
        (None, None) => None,
        _ => {
            return Err(Error::storage_msg(
                "folio key and number must come together",
            ))
        }
    };
    let mut prev = head_hash.unwrap_or(GENESIS).to_owned();
    let mut envelopes = Vec::with_capacity(req.events.len());
    for (i, pending) in req.events.iter().enumerate() {
        let mut event = pending.event.clone();
        if let Event::Opened(o) = &mut event {
            o.folio = folio.clone().ok_or_else(|| {
                Error::storage_msg("an `opened` event needs a folio drawn in the append")
            })?;
        }
        let mut env = EventEnvelope {
            ticket_id: req.ticket_id.clone(),
            sequence: req.expected_version + 1 + i as u64,
            at: pending.at,
            actor: pending.actor.clone(),
            schema: EVENT_SCHEMA,
            event,
            prev_hash: std::mem::take(&mut prev),
            hash: String::new(),
        };
        env.hash = hash::compute(&env);
        prev.clone_from(&env.hash);
        envelopes.push(env);
    }
    // The facade folded these events once already (its preview, to schedule the due
    // instant). The store folds again on purpose: only here do the events carry their folio
    // and sequence, and the projection written must be the fold of exactly the sealed
    // events, which is what `verify_desk` checks it against.
    let mut ticket = match &req.base {
        Some(base) => base.clone(),
        None => Ticket::from_opened(&envelopes[0])?,
    };
    let rest = if req.base.is_some() {
        &envelopes[..]
    } else {
        &envelopes[1..]
    };
    for env in rest {
        ticket.apply(env)?;
    }
    ticket.sla_due = req.sla_due;
    Ok(Sealed {
        envelopes,
        ticket,
        outbox: Vec::new(),
        due_at: req.due_at,
    })
}

/// What an append returns: the stored events and the new state.
#[derive(Clone, Debug)]
pub struct Appended {
    /// The ticket after the append.
    pub ticket: Ticket,
    /// The events as stored.
    pub events: Vec<EventEnvelope>,
}

/// A due ticket, as the sweep sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueTicket {
    /// The ticket.
    pub ticket_id: TicketId,
    /// When it became due.
    pub due_at: DateTime<Utc>,
}

/// A ticket's schedule recomputed without new events: after a configuration change, or
/// when the sweep meets an index entry that is no longer due.
#[derive(Clone, Debug)]
pub struct Reschedule {
    /// The projection the schedule was computed from, with its new [`Ticket::sla_due`].
    /// Written only if the stored ticket is still at `ticket.version`.
    pub ticket: Ticket,
    /// The new due instant for `tick` (`None` leaves the due index).
    pub due_at: Option<DateTime<Utc>>,
    /// The ticket's report fact under the new schedule, written with it.
    pub fact: Option<crate::report::Fact>,
}

/// Storage for a desk: tickets with their event histories, the directory, the
/// configuration and the outbox.
///
/// The contract, which the conformance suite (`foliodesk_core::testkit`) checks sentence by
/// sentence:
/// - `append` is atomic: the events, the projection, the folio counter, the due index and
///   the outbox rows are written together or not at all.
/// - `append` fails with [`Error::Conflict`] unless `expected_version` is the stored
///   version; of several concurrent appends at one version exactly one succeeds.
/// - Folios are unique and gap-free per [`FolioKey`]: a failed append consumes no number.
/// - A read after `append` returned sees it.
/// - `query` returns tickets matching [`crate::TicketFilter::matches`] in (opened_at, id)
///   order, and pages neither repeat nor skip a ticket.
/// - `due` returns tickets whose due instant is at or before `now`, earliest first.
/// - `reschedule` moves the due entry and the stored SLA due instant of a ticket, and only
///   if nothing was appended to it since the schedule was computed.
/// - `import` writes a batch of new tickets atomically, skipping ids already stored.
/// - `meta` reads what `put_meta` last wrote under the key; checkpoint numbers are taken
///   once.
/// - An append's report fact is written with it, and `facts` answers what
///   [`crate::report::FactQuery::matches`] selects.
/// - An append's search document, and an article's, are written with it; `postings`
///   answers exactly what [`crate::search::memory::MemoryIndex`] would for the same
///   documents.
#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug + 'static {
    /// Writes one command's events atomically (see the trait's contract).
    async fn append(&self, req: AppendEvents) -> Result<Appended>;
    /// The ticket's projection.
    async fn ticket(&self, id: &TicketId) -> Result<Option<Ticket>>;
    /// The ticket with this folio.
    async fn ticket_by_folio(&self, folio: &str) -> Result<Option<Ticket>>;
    /// The ticket's events in sequence order (empty if unknown).
    async fn events(&self, id: &TicketId) -> Result<Vec<EventEnvelope>>;
    /// One page of tickets.
    async fn query(&self, q: QueryTickets) -> Result<Page<Ticket>>;
    /// Up to `limit` tickets due at or before `now`, earliest first.
    async fn due(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<DueTicket>>;
    /// Rewrites the ticket's due entry and [`Ticket::sla_due`] if the stored version is still
    /// `req.ticket.version`: true when written, false when the ticket moved on (its own
    /// append scheduled it) or is unknown. Events and the hash chain are untouched.
    async fn reschedule(&self, req: Reschedule) -> Result<bool>;

    /// Creates or replaces a user.
    async fn put_user(&self, user: User) -> Result<()>;
    /// A user.
    async fn user(&self, id: &UserId) -> Result<Option<User>>;
    /// All users, by id.
    async fn users(&self) -> Result<Vec<User>>;
    /// Creates or replaces an organisation.
    async fn put_organisation(&self, org: Organisation) -> Result<()>;
    /// An organisation.
    async fn organisation(&self, id: &OrgId) -> Result<Option<Organisation>>;
    /// All organisations, by id.
    async fn organisations(&self) -> Result<Vec<Organisation>>;
    /// Creates or replaces a team.
    async fn put_team(&self, team: Team) -> Result<()>;
    /// A team.
    async fn team(&self, id: &TeamId) -> Result<Option<Team>>;
    /// All teams, by id.
    async fn teams(&self) -> Result<Vec<Team>>;

    /// The stored configuration (JSON), if any.
    async fn load_config(&self) -> Result<Option<String>>;
    /// Stores the configuration (JSON).
    async fn save_config(&self, json: String) -> Result<()>;
    /// The desk's bookkeeping value under `key` (progress of a reconfiguration, the desk
    /// anchor…), if any.
    async fn meta(&self, key: &str) -> Result<Option<String>>;
    /// Stores `value` under `key`, replacing what was there; `None` removes it.
    async fn put_meta(&self, key: &str, value: Option<String>) -> Result<()>;
    /// Adds desk-anchor checkpoint number `seq` (its JSON, see [`crate::anchor`]); a
    /// [`Error::Conflict`] when that number is taken.
    async fn append_checkpoint(&self, seq: u64, body: String) -> Result<()>;
    /// The checkpoints numbered above `after`, in order.
    async fn checkpoints(&self, after: u64) -> Result<Vec<String>>;

    /// Up to `limit` notifications not yet delivered nor dead, oldest first, whether
    /// claimed or not.
    async fn outbox(&self, limit: u32) -> Result<Vec<OutboxMessage>>;
    /// Removes delivered notifications.
    async fn ack_outbox(&self, ids: &[u64]) -> Result<()>;
    /// Leases deliverable notifications to `claim.token` (see [`Claim`] for which), oldest
    /// first. A row is leased to one claim at a time: concurrent claims never share one.
    async fn claim_outbox(&self, claim: &Claim) -> Result<Vec<OutboxMessage>>;
    /// Records a failed attempt: each row's `attempts` grows by one and its lease ends;
    /// it is retried from `failure.retry_at`, or becomes a dead letter with the reason
    /// when that is `None`.
    async fn fail_outbox(&self, failure: &Failure) -> Result<()>;
    /// Up to `limit` dead letters, oldest first.
    async fn dead_letters(&self, limit: u32) -> Result<Vec<DeadLetter>>;
    /// Puts dead letters back in the outbox with no attempts counted; returns how many.
    async fn requeue_dead(&self, ids: &[u64]) -> Result<u64>;

    /// Keeps `bytes` under their SHA-256 (lower-case hex), which it returns; the same
    /// bytes again change nothing. Attachment bytes are written before the event that
    /// names them, so a failed append leaves at most an unreferenced blob.
    async fn put_blob(&self, bytes: Vec<u8>) -> Result<String>;
    /// The bytes kept under `sha256`, if any.
    async fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>>;

    /// Records a contact; a record with the same id replaces it (a call recorded as it
    /// rings, then again once answered and ended).
    async fn put_contact(&self, contact: crate::contact::Contact) -> Result<()>;
    /// The contacts in `range`, by (start, id).
    async fn contacts(
        &self,
        range: &crate::contact::ContactRange,
    ) -> Result<Vec<crate::contact::Contact>>;

    /// Writes new tickets with their whole histories, all in one transaction: an import
    /// (see [`crate::import`]). Each request opens a ticket (`expected_version` 0, a folio
    /// key); a ticket whose id is stored already is left as it is and answered `None`, the
    /// others get their folios, drawn in request order, and are answered with them. The
    /// events keep their own instants; no notification is written ([`seal_quietly`]).
    /// Any failure writes nothing and consumes no folio.
    async fn import(&self, batch: Vec<AppendEvents>) -> Result<Vec<Option<String>>>;

    /// Writes an article and its search document atomically, if the stored revision is
    /// `write.expected` (see [`ArticleWrite`]).
    async fn put_article(&self, write: ArticleWrite) -> Result<()>;
    /// An article.
    async fn article(&self, id: &str) -> Result<Option<Article>>;
    /// Every article, by id.
    async fn articles(&self) -> Result<Vec<Article>>;
    /// The postings a search needs (see [`PostingsQuery`]), from one snapshot.
    async fn postings(&self, q: &PostingsQuery) -> Result<Postings>;
    /// One page of the best documents for `q` ([`crate::search::top`]); by default
    /// ranked in core from [`Store::postings`], which backends that can aggregate where
    /// the postings are replace.
    async fn top_documents(&self, q: &TopQuery) -> Result<TopDocs> {
        Ok(crate::search::top::top_of(
            q,
            &self.postings(&q.postings_query()).await?,
        ))
    }
    /// Writes search documents outside any append: reindexing after the analysis changed.
    async fn put_search_docs(&self, docs: Vec<SearchDoc>) -> Result<()>;

    /// The report facts matching `q` ([`crate::report::FactQuery::matches`]) in
    /// (opened, ticket) order, at most `q.limit`.
    async fn facts(&self, q: &crate::report::FactQuery) -> Result<Vec<crate::report::Fact>>;
    /// Writes report facts outside an append (a rebuild), each replacing the ticket's.
    async fn put_facts(&self, facts: Vec<crate::report::Fact>) -> Result<()>;
    /// The blocks of packed facts whose day is in `[from_day, to_day)`, by day, at most
    /// `limit`.
    async fn fact_blocks(
        &self,
        from_day: i64,
        to_day: i64,
        limit: u32,
    ) -> Result<Vec<crate::report::block::StoredBlock>>;
    /// The opening instant of the earliest per-ticket fact row of a finished ticket (what
    /// packing takes next), if any.
    async fn first_finished_fact(&self) -> Result<Option<i64>>;
    /// In one transaction: writes `pack.body` as the day's block if the stored block is
    /// still at `pack.expected` (else changes nothing and answers `false`), and deletes
    /// each packed row that still holds the fact packed.
    async fn pack_facts(&self, pack: crate::report::block::Pack) -> Result<bool>;
    /// The dashboard's count of the live backlog ([`crate::report::pulse`]). By default,
    /// folded from the live facts; a backend may count where its data is.
    async fn pulse(&self, q: &crate::report::PulseQuery) -> Result<crate::report::Pulse> {
        crate::report::pulse::from_live_facts(self, q).await
    }

    /// Closes connections the store holds open; later calls may fail with `Storage`.
    /// Stores without connections do nothing.
    async fn close(&self) {}

    /// Everything one command reads before deciding (see [`Lookup`]), ideally from one
    /// snapshot. The default answers it entry by entry ([`lookup::in_parts`]); whatever a
    /// backend does instead must give the same [`Found`].
    async fn lookup(&self, lookup: &Lookup) -> Result<Found> {
        lookup::in_parts(self, lookup).await
    }
}
