//! `MemoryStore`: the reference backend, used by tests, docs and `memory://` desks.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard};

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{seal, AppendEvents, Appended, ArticleWrite, DueTicket, FolioKey, Reschedule, Store};
use crate::directory::{Organisation, Team, User};
use crate::event::EventEnvelope;
use crate::knowledge::Article;
use crate::notify::delivery::RowState;
use crate::notify::{Claim, DeadLetter, Failure, OutboxMessage};
use crate::query::{Cursor, Page, QueryTickets};
use crate::report::block::{Pack, StoredBlock};
use crate::search::memory::MemoryIndex;
use crate::search::{Postings, PostingsQuery, SearchDoc};
use crate::ticket::Ticket;
use crate::{OrgId, Result, TeamId, TicketId, UserId};
mod due;
mod facts;
mod import;
mod knowledge;
mod outbox;

#[derive(Debug, Default)]
struct Stored {
    ticket: Option<Ticket>,
    events: Vec<EventEnvelope>,
    due_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Default)]
struct Inner {
    tickets: HashMap<TicketId, Stored>,
    by_folio: HashMap<String, TicketId>,
    counters: BTreeMap<FolioKey, u64>,
    users: BTreeMap<UserId, User>,
    organisations: BTreeMap<OrgId, Organisation>,
    teams: BTreeMap<TeamId, Team>,
    config: Option<String>,
    meta: BTreeMap<String, String>,
    blobs: BTreeMap<String, Vec<u8>>,
    contacts: BTreeMap<String, crate::contact::Contact>,
    checkpoints: BTreeMap<u64, String>,
    outbox: BTreeMap<u64, (OutboxMessage, RowState)>,
    next_outbox: u64,
    /// The due index: `due` reads only what is due, as the durable backends do.
    due: BTreeSet<(DateTime<Utc>, TicketId)>,
    articles: BTreeMap<String, Article>,
    search: MemoryIndex,
    facts: facts::Facts,
}

/// A store that lives in memory and is gone when dropped. Every operation holds one lock,
/// which makes each append trivially atomic.
///
/// ```
/// use foliodesk_core::store::{memory::MemoryStore, Store};
/// let store = MemoryStore::new();
/// # let _ = &store as &dyn Store;
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore(Mutex<Inner>);

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere cannot leave `Inner` half-written: appends mutate it only after
        // `seal` succeeded.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn append(&self, req: AppendEvents) -> Result<Appended> {
        let mut inner = self.lock();
        let (version, head) = match inner.tickets.get(&req.ticket_id) {
            Some(s) => (
                s.events.len() as u64,
                s.events.last().map(|e| e.hash.clone()),
            ),
            None => (0, None),
        };
        let number = req
            .folio
            .as_ref()
            .map(|k| inner.counters.get(k).copied().unwrap_or(0) + 1);
        let sealed = seal(&req, version, head.as_deref(), number)?;
        if let (Some(key), Some(n)) = (req.folio, number) {
            inner.counters.insert(key, n);
            inner
                .by_folio
                .insert(sealed.ticket.folio.clone(), req.ticket_id.clone());
        }
        for notification in sealed.outbox {
            inner.next_outbox += 1;
            let id = inner.next_outbox;
            let state = RowState::new(&notification);
            let message = OutboxMessage {
                id,
                attempts: 0,
                notification,
            };
            inner.outbox.insert(id, (message, state));
        }
        if let Some(doc) = req.index {
            inner.search.put(doc);
        }
        if let Some(fact) = req.fact {
            inner.put_fact(fact);
        }
        let id = req.ticket_id;
        let stored = inner.tickets.entry(id.clone()).or_default();
        stored.events.extend(sealed.envelopes.iter().cloned());
        stored.ticket = Some(sealed.ticket.clone());
        let old_due = std::mem::replace(&mut stored.due_at, sealed.due_at);
        inner.move_due(&id, old_due, sealed.due_at);
        Ok(Appended {
            ticket: sealed.ticket,
            events: sealed.envelopes,
        })
    }

    async fn ticket(&self, id: &TicketId) -> Result<Option<Ticket>> {
        Ok(self.lock().tickets.get(id).and_then(|s| s.ticket.clone()))
    }

    async fn ticket_by_folio(&self, folio: &str) -> Result<Option<Ticket>> {
        let inner = self.lock();
        let id = inner.by_folio.get(folio);
        Ok(id
            .and_then(|id| inner.tickets.get(id))
            .and_then(|s| s.ticket.clone()))
    }

    async fn events(&self, id: &TicketId) -> Result<Vec<EventEnvelope>> {
        Ok(self
            .lock()
            .tickets
            .get(id)
            .map(|s| s.events.clone())
            .unwrap_or_default())
    }

    async fn query(&self, q: QueryTickets) -> Result<Page<Ticket>> {
        q.validate()?;
        let inner = self.lock();
        let mut hits: Vec<(Cursor, &Ticket)> = inner
            .tickets
            .values()
            .filter_map(|s| s.ticket.as_ref())
            .filter(|t| q.filter.matches(t))
            .map(|t| (Cursor::after(t), t))
            .filter(|(c, _)| q.is_after_cursor(c))
            .collect();
        hits.sort_by(|a, b| {
            if q.newest_first {
                b.0.cmp(&a.0)
            } else {
                a.0.cmp(&b.0)
            }
        });
        hits.truncate(q.limit as usize + 1);
        let items = hits.into_iter().map(|(_, t)| t.clone()).collect();
        Ok(Page::from_overfetch(items, q.limit))
    }

    async fn due(&self, now: DateTime<Utc>, limit: u32) -> Result<Vec<DueTicket>> {
        Ok(self
            .lock()
            .due
            .iter()
            .take_while(|(d, _)| *d <= now)
            .take(limit as usize)
            .map(|(d, id)| DueTicket {
                ticket_id: id.clone(),
                due_at: *d,
            })
            .collect())
    }

    async fn reschedule(&self, req: Reschedule) -> Result<bool> {
        let mut inner = self.lock();
        let id = req.ticket.id.clone();
        let Some(stored) = inner.tickets.get_mut(&id) else {
            return Ok(false);
        };
        if stored.events.len() as u64 != req.ticket.version {
            return Ok(false);
        }
        let old_due = std::mem::replace(&mut stored.due_at, req.due_at);
        if let Some(t) = &mut stored.ticket {
            t.sla_due = req.ticket.sla_due;
        }
        inner.move_due(&id, old_due, req.due_at);
        if let Some(fact) = req.fact {
            inner.put_fact(fact);
        }
        Ok(true)
    }

    async fn put_user(&self, user: User) -> Result<()> {
        user.validate()?;
        self.lock().users.insert(user.id.clone(), user);
        Ok(())
    }

    async fn user(&self, id: &UserId) -> Result<Option<User>> {
        Ok(self.lock().users.get(id).cloned())
    }

    async fn users(&self) -> Result<Vec<User>> {
        Ok(self.lock().users.values().cloned().collect())
    }

    async fn put_organisation(&self, org: Organisation) -> Result<()> {
        org.validate()?;
        self.lock().organisations.insert(org.id.clone(), org);
        Ok(())
    }

    async fn organisation(&self, id: &OrgId) -> Result<Option<Organisation>> {
        Ok(self.lock().organisations.get(id).cloned())
    }

    async fn organisations(&self) -> Result<Vec<Organisation>> {
        Ok(self.lock().organisations.values().cloned().collect())
    }

    async fn put_team(&self, team: Team) -> Result<()> {
        team.validate()?;
        self.lock().teams.insert(team.id.clone(), team);
        Ok(())
    }

    async fn team(&self, id: &TeamId) -> Result<Option<Team>> {
        Ok(self.lock().teams.get(id).cloned())
    }

    async fn teams(&self) -> Result<Vec<Team>> {
        Ok(self.lock().teams.values().cloned().collect())
    }

    async fn load_config(&self) -> Result<Option<String>> {
        Ok(self.lock().config.clone())
    }

    async fn save_config(&self, json: String) -> Result<()> {
        self.lock().config = Some(json);
        Ok(())
    }

    async fn put_blob(&self, bytes: Vec<u8>) -> Result<String> {
        let key = crate::attachment::sha256_hex(&bytes);
        self.lock().blobs.entry(key.clone()).or_insert(bytes);
        Ok(key)
    }

    async fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.lock().blobs.get(sha256).cloned())
    }

    async fn import(&self, batch: Vec<AppendEvents>) -> Result<Vec<Option<String>>> {
        self.lock().import(&batch)
    }

    async fn put_contact(&self, contact: crate::contact::Contact) -> Result<()> {
        self.lock().contacts.insert(contact.id.clone(), contact);
        Ok(())
    }

    async fn contacts(
        &self,
        range: &crate::contact::ContactRange,
    ) -> Result<Vec<crate::contact::Contact>> {
        let inner = self.lock();
        let mut found: Vec<_> = (inner.contacts.values())
            .filter(|c| range.matches(c))
            .cloned()
            .collect();
        found.sort_by(|a, b| (a.started_at, &a.id).cmp(&(b.started_at, &b.id)));
        found.truncate(range.limit as usize);
        Ok(found)
    }

    async fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self.lock().meta.get(key).cloned())
    }

    async fn put_meta(&self, key: &str, value: Option<String>) -> Result<()> {
        let mut inner = self.lock();
        match value {
            Some(v) => inner.meta.insert(key.to_owned(), v),
            None => inner.meta.remove(key),
        };
        Ok(())
    }

    async fn append_checkpoint(&self, seq: u64, body: String) -> Result<()> {
        let mut inner = self.lock();
        if inner.checkpoints.contains_key(&seq) {
            return Err(crate::Error::Conflict {
                ticket: "<desk anchor>".into(),
                expected: seq - 1,
                actual: seq,
            });
        }
        inner.checkpoints.insert(seq, body);
        Ok(())
    }

    async fn checkpoints(&self, after: u64) -> Result<Vec<String>> {
        let inner = self.lock();
        Ok(inner
            .checkpoints
            .range(after + 1..)
            .map(|(_, b)| b.clone())
            .collect())
    }

    async fn outbox(&self, limit: u32) -> Result<Vec<OutboxMessage>> {
        Ok(self.lock().outbox(limit))
    }

    async fn claim_outbox(&self, claim: &Claim) -> Result<Vec<OutboxMessage>> {
        Ok(self.lock().claim_outbox(claim))
    }

    async fn fail_outbox(&self, failure: &Failure) -> Result<()> {
        self.lock().fail_outbox(failure);
        Ok(())
    }

    async fn dead_letters(&self, limit: u32) -> Result<Vec<DeadLetter>> {
        Ok(self.lock().dead_letters(limit))
    }

    async fn requeue_dead(&self, ids: &[u64]) -> Result<u64> {
        Ok(self.lock().requeue_dead(ids))
    }

    async fn ack_outbox(&self, ids: &[u64]) -> Result<()> {
        let mut inner = self.lock();
        for id in ids {
            inner.outbox.remove(id);
        }
        Ok(())
    }

    async fn put_article(&self, write: ArticleWrite) -> Result<()> {
        self.lock().put_article(write)
    }

    async fn article(&self, id: &str) -> Result<Option<Article>> {
        Ok(self.lock().articles.get(id).cloned())
    }

    async fn articles(&self) -> Result<Vec<Article>> {
        Ok(self.lock().articles.values().cloned().collect())
    }

    async fn postings(&self, q: &PostingsQuery) -> Result<Postings> {
        Ok(self.lock().search.answer(q))
    }

    async fn put_search_docs(&self, docs: Vec<SearchDoc>) -> Result<()> {
        let mut inner = self.lock();
        docs.into_iter().for_each(|d| inner.search.put(d));
        Ok(())
    }

    async fn facts(&self, q: &crate::report::FactQuery) -> Result<Vec<crate::report::Fact>> {
        Ok(self.lock().facts(q))
    }

    async fn put_facts(&self, facts: Vec<crate::report::Fact>) -> Result<()> {
        let mut inner = self.lock();
        facts.into_iter().for_each(|f| inner.put_fact(f));
        Ok(())
    }

    async fn fact_blocks(&self, from: i64, to: i64, limit: u32) -> Result<Vec<StoredBlock>> {
        Ok(self.lock().fact_blocks(from, to, limit))
    }

    async fn first_finished_fact(&self) -> Result<Option<i64>> {
        Ok(self.lock().first_finished_fact())
    }

    async fn pack_facts(&self, pack: Pack) -> Result<bool> {
        Ok(self.lock().pack_facts(pack))
    }
}
